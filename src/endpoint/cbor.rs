//! Smithy RPC v2 CBOR, which CloudWatch's model lists first (SDKs that prefer it send it):
//! `POST /service/GraniteServiceVersion20100801/operation/<Action>` with
//! `smithy-protocol: rpc-v2-cbor`, the input a CBOR map (an empty body is `{}`), the output a CBOR
//! map with timestamps as tag 1 (epoch seconds), and a failure `{"__type", "message"}` with the
//! status the model gives the error. CloudWatch is query-compatible, so a failure also carries
//! `x-amzn-query-error: Code;Sender`, which botocore reads for the error code.
//!
//! CBOR is read and written with `ciborium` (maintained, serde-based, with a recursion limit for
//! untrusted input); its values are converted to and from the api's JSON, the one shape every
//! protocol shares.

use super::model;
use super::{Request, Response, MAX_DEPTH};
use crate::api::{render, AwsError};
use crate::session::Session;
use base64::Engine;
use ciborium::Value as Cbor;
use serde_json::{Map, Number, Value};

/// The content type of CBOR bodies.
pub const CBOR: &str = "application/cbor";
/// The `smithy-protocol` header's value.
const PROTOCOL: &str = "rpc-v2-cbor";
/// The services answered, by the Smithy service name in the path.
const SERVICES: &[(&str, &str)] = &[("GraniteServiceVersion20100801", "cloudwatch")];

/// Whether `request` is addressed as an RPC v2 operation.
pub fn is_cbor(request: &Request) -> bool {
    request.path.starts_with("/service/")
}

/// Answers an RPC v2 CBOR request.
pub fn handle(session: &mut Session, request: &Request) -> Response {
    let (service, action) = match route(request) {
        Ok(route) => route,
        Err(failure) => return error(None, &failure),
    };
    let input = match decode(request.body) {
        Ok(input) => input,
        Err(failure) => return error(Some(service), &failure),
    };
    match session.call(service, action, &input) {
        Ok(output) => reply(200, None, &encode(&output, "")),
        Err(failure) => error(Some(service), &failure),
    }
}

/// `failure` in this protocol's shape.
pub fn refuse(request: &Request, failure: &AwsError) -> Response {
    error(route(request).ok().map(|(service, _)| service), failure)
}

/// The service and action the path names, on a POST carrying the protocol header.
fn route<'a>(request: &Request<'a>) -> Result<(&'static str, &'a str), AwsError> {
    let unknown = || {
        AwsError::new(
            "UnknownOperationException",
            format!(
                "no operation at {} {} (POST /service/<Service>/operation/<Operation>)",
                request.method, request.path
            ),
        )
    };
    let mut parts = request.path.strip_prefix("/service/").ok_or_else(unknown)?.split('/');
    let (Some(name), Some("operation"), Some(action), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(unknown());
    };
    let service =
        SERVICES.iter().find(|(n, _)| *n == name).map(|(_, service)| *service).ok_or_else(unknown)?;
    if request.method != "POST" || action.is_empty() {
        return Err(unknown());
    }
    if request.header("smithy-protocol") != Some(PROTOCOL) {
        return Err(AwsError::serialization(format!(
            "the request must carry the header smithy-protocol: {PROTOCOL}"
        )));
    }
    Ok((service, action))
}

/// The body as the api's JSON input: a CBOR map, `{}` when empty.
fn decode(body: &[u8]) -> Result<Value, AwsError> {
    if body.is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    let mut rest = body;
    let item: Cbor = ciborium::de::from_reader_with_recursion_limit(&mut rest, MAX_DEPTH).map_err(|e| {
        AwsError::serialization(format!(
            "the request body is not CBOR nested at most {MAX_DEPTH} deep: {e:?}"
        ))
    })?;
    if !rest.is_empty() {
        return Err(AwsError::serialization("the request body has bytes after its CBOR item"));
    }
    let input = json(item)?;
    if !input.is_object() {
        return Err(AwsError::serialization("the request body must be a CBOR map"));
    }
    Ok(input)
}

fn json(item: Cbor) -> Result<Value, AwsError> {
    Ok(match item {
        Cbor::Null => Value::Null,
        Cbor::Bool(flag) => Value::Bool(flag),
        Cbor::Text(text) => Value::String(text),
        Cbor::Bytes(bytes) => Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
        Cbor::Integer(integer) => {
            let wide = i128::from(integer);
            match (i64::try_from(wide), u64::try_from(wide)) {
                (Ok(small), _) => Value::from(small),
                (_, Ok(large)) => Value::from(large),
                _ => return Err(AwsError::serialization(format!("the integer {wide} is out of range"))),
            }
        }
        Cbor::Float(float) => Number::from_f64(float)
            .map(Value::Number)
            .ok_or_else(|| AwsError::serialization(format!("the number {float} is not finite")))?,
        Cbor::Tag(1, seconds) => match *seconds {
            Cbor::Integer(_) | Cbor::Float(_) => json(*seconds)?,
            _ => {
                return Err(AwsError::serialization("a timestamp (tag 1) must be a number of epoch seconds"))
            }
        },
        Cbor::Tag(tag, _) => return Err(AwsError::serialization(format!("CBOR tag {tag} is not supported"))),
        Cbor::Array(items) => Value::Array(items.into_iter().map(json).collect::<Result<_, _>>()?),
        Cbor::Map(entries) => {
            let mut object = Map::with_capacity(entries.len());
            for (key, value) in entries {
                let Cbor::Text(key) = key else {
                    return Err(AwsError::serialization("a CBOR map key must be text"));
                };
                if object.contains_key(&key) {
                    return Err(AwsError::serialization(format!("the key {key:?} appears twice in a map")));
                }
                let value = json(value)?;
                object.insert(key, value);
            }
            Value::Object(object)
        }
        _ => return Err(AwsError::serialization("an unsupported CBOR item")),
    })
}

/// The api's JSON as CBOR; `member` names the value (timestamps become tag 1).
fn encode(value: &Value, member: &str) -> Cbor {
    match value {
        Value::Null => Cbor::Null,
        Value::Bool(flag) => Cbor::Bool(*flag),
        Value::String(text) => Cbor::Text(text.clone()),
        Value::Number(number) if render::is_timestamp_member(member) => {
            Cbor::Tag(1, Box::new(Cbor::Float(number.as_f64().unwrap_or_default())))
        }
        Value::Number(number) => match (number.as_i64(), number.as_u64()) {
            (Some(small), _) => Cbor::Integer(small.into()),
            (_, Some(large)) => Cbor::Integer(large.into()),
            _ => Cbor::Float(number.as_f64().unwrap_or_default()),
        },
        Value::Array(items) => Cbor::Array(items.iter().map(|item| encode(item, member)).collect()),
        Value::Object(object) => Cbor::Map(
            object
                .iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| (Cbor::Text(key.clone()), encode(value, key)))
                .collect(),
        ),
    }
}

fn reply(status: u16, error_type: Option<String>, body: &Cbor) -> Response {
    let mut bytes = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = ciborium::ser::into_writer(body, &mut bytes);
    Response {
        status,
        error_type,
        headers: vec![("smithy-protocol", PROTOCOL.to_string())],
        ..Response::ok(CBOR, bytes)
    }
}

/// `{"__type", "message"}` with the model's status (404 for an operation that does not exist).
fn error(service: Option<&str>, failure: &AwsError) -> Response {
    let status = match (service, failure.error_type.as_str()) {
        (_, "UnknownOperationException") => 404,
        (Some(service), _) => model::status(service, failure),
        (None, _) => failure.http_status(),
    };
    let body = Cbor::Map(vec![
        (Cbor::Text("__type".into()), Cbor::Text(failure.error_type.clone())),
        (Cbor::Text("message".into()), Cbor::Text(failure.message.clone())),
    ]);
    let mut response = reply(status, Some(failure.error_type.clone()), &body);
    response.headers.push(model::query_error_header(status, failure));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cbor_bytes(item: &Cbor) -> Vec<u8> {
        let mut bytes = Vec::new();
        ciborium::ser::into_writer(item, &mut bytes).unwrap();
        bytes
    }

    #[test]
    fn cbor_maps_become_json_and_timestamps_tag_one() {
        let item = Cbor::Map(vec![
            (Cbor::Text("AlarmName".into()), Cbor::Text("a".into())),
            (Cbor::Text("Period".into()), Cbor::Integer(60.into())),
            (Cbor::Text("Threshold".into()), Cbor::Float(90.5)),
            (Cbor::Text("ActionsEnabled".into()), Cbor::Bool(false)),
            (Cbor::Text("At".into()), Cbor::Tag(1, Box::new(Cbor::Integer(5.into())))),
            (Cbor::Text("Names".into()), Cbor::Array(vec![Cbor::Text("x".into())])),
        ]);
        assert_eq!(
            decode(&cbor_bytes(&item)).unwrap(),
            json!({"AlarmName": "a", "Period": 60, "Threshold": 90.5, "ActionsEnabled": false, "At": 5, "Names": ["x"]})
        );
        assert_eq!(decode(b"").unwrap(), json!({}));
        let encoded = encode(
            &json!({"MetricAlarms": [{"StateUpdatedTimestamp": 1.5, "Period": 60, "Gone": null}]}),
            "",
        );
        let Cbor::Map(top) = encoded else { panic!("a map") };
        let Cbor::Array(alarms) = &top[0].1 else { panic!("a list") };
        assert_eq!(
            alarms[0],
            Cbor::Map(vec![
                (Cbor::Text("StateUpdatedTimestamp".into()), Cbor::Tag(1, Box::new(Cbor::Float(1.5)))),
                (Cbor::Text("Period".into()), Cbor::Integer(60.into())),
            ])
        );
    }

    #[test]
    fn malformed_cbor_is_a_serialization_error() {
        let nested = {
            let mut bytes = vec![0xa1, 0x61, b'a'];
            bytes.extend(std::iter::repeat_n(0x81, MAX_DEPTH + 4));
            bytes.push(0x01);
            bytes
        };
        let cases: Vec<Vec<u8>> = vec![
            vec![0xff],
            vec![0xa1, 0x61],
            cbor_bytes(&Cbor::Array(vec![])),
            cbor_bytes(&Cbor::Map(vec![(Cbor::Integer(1.into()), Cbor::Null)])),
            cbor_bytes(&Cbor::Map(vec![(Cbor::Text("a".into()), Cbor::Tag(2, Box::new(Cbor::Null)))])),
            cbor_bytes(&Cbor::Map(vec![(Cbor::Text("a".into()), Cbor::Float(f64::NAN))])),
            [cbor_bytes(&Cbor::Map(vec![])), vec![0x00]].concat(),
            cbor_bytes(&Cbor::Map(vec![
                (Cbor::Text("a".into()), Cbor::Null),
                (Cbor::Text("a".into()), Cbor::Null),
            ])),
            vec![0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            nested,
        ];
        for body in cases {
            assert_eq!(decode(&body).unwrap_err().error_type, "SerializationException", "{body:02x?}");
        }
    }
}
