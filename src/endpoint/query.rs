//! The AWS query protocol (IAM, STS, CloudWatch) and EC2's dialect of it: `POST /` with a form
//! body `Action=CreateRole&Version=2010-05-08&RoleName=…` (or the same parameters in a GET query
//! string). The `Version` names the service, else the SigV4 scope's signing name does.
//!
//! Input: the flattened parameters become the action's input in the api's JSON shape, from
//! their keys alone — `X.member.N` a list, `X.entry.N.key`/`.value` a map, `X.Y` a structure (EC2:
//! `X.N` a list, sent under its `locationName`) — and the model's few non-string members
//! ([`model::scalar`]) become numbers and booleans. Output: the api's JSON answer as the
//! service's XML document ([`xml`], [`ec2`]); errors as `<ErrorResponse>` with the HTTP status the
//! model gives the error ([`model::status`]).
//!
//! Decoding uses the `percent-encoding` crate (the rust-url project's). Not `form_urlencoded`,
//! whose parser follows the URL standard in passing bad escapes (`%zz`) and invalid UTF-8 through
//! silently: AWS refuses such a request, and so does this module. A request that cannot be
//! decoded changes nothing.

use super::model::{self, QueryService, Scalar, QUERY_SERVICES};
use super::xml::{self, Dialect, Document, ErrorShape, TEXT_XML};
use super::{ec2, Request, Response, MAX_DEPTH, MAX_PARAMETERS};
use crate::api::AwsError;
use crate::session::Session;
use percent_encoding::percent_decode;
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;

/// Whether `request` is in a query protocol: a form body, or an `Action` in its query string.
pub fn is_query(request: &Request) -> bool {
    is_form(request) || crate::support::query::param(request.query, "Action").is_some()
}

fn is_form(request: &Request) -> bool {
    request.header("Content-Type").is_some_and(|value| {
        value.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded")
    })
}

/// Answers a query-protocol request.
pub fn handle(session: &mut Session, request: &Request, request_id: &str) -> Response {
    let scoped = scoped_service(request);
    let params = match params(request) {
        Ok(params) => params,
        Err(failure) => return error(scoped, &failure, request_id),
    };
    let service = match service(&params, scoped) {
        Ok(service) => service,
        Err(failure) => return error(scoped, &failure, request_id),
    };
    let (action, input) = match decode(service, params) {
        Ok(decoded) => decoded,
        Err(failure) => return error(Some(service), &failure, request_id),
    };
    match session.call(service.service, &action, &input) {
        Ok(output) if service.service == "ec2" => ec2::respond(service, &action, &output, request_id),
        Ok(output) => respond(service, &action, &output, request_id),
        Err(failure) => error(Some(service), &failure, request_id),
    }
}

/// `failure` in the shape of the service `request` is for (as far as it can be told).
pub fn refuse(request: &Request, failure: &AwsError, request_id: &str) -> Response {
    let scoped = scoped_service(request);
    let service = params(request).ok().and_then(|params| service(&params, scoped).ok()).or(scoped);
    error(service, failure, request_id)
}

fn scoped_service(request: &Request) -> Option<&'static QueryService> {
    let (_, name) = request.signing_scope()?;
    QUERY_SERVICES.iter().find(|service| service.signing_name == name)
}

fn malformed(message: impl Into<String>) -> AwsError {
    AwsError::new("MalformedQueryString", message)
}

/// The decoded `name=value` pairs of the query string and, for a form POST, the body.
fn params(request: &Request) -> Result<Vec<(String, String)>, AwsError> {
    let mut params = Vec::new();
    form(request.query.as_bytes(), &mut params)?;
    if request.method == "POST" && is_form(request) {
        form(request.body, &mut params)?;
    }
    Ok(params)
}

fn form(text: &[u8], params: &mut Vec<(String, String)>) -> Result<(), AwsError> {
    for pair in text.split(|byte| *byte == b'&').filter(|pair| !pair.is_empty()) {
        if params.len() == MAX_PARAMETERS {
            return Err(malformed(format!("a request has at most {MAX_PARAMETERS} parameters")));
        }
        let split = pair.iter().position(|byte| *byte == b'=');
        let (name, value) = match split {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &[][..]),
        };
        params.push((component(name)?, component(value)?));
    }
    Ok(())
}

/// One form component: `+` is a space, `%XX` a byte, and the bytes must be UTF-8.
fn component(raw: &[u8]) -> Result<String, AwsError> {
    let escapes_ok = raw
        .iter()
        .enumerate()
        .filter(|(_, byte)| **byte == b'%')
        .all(|(at, _)| raw.get(at + 1..at + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)));
    if !escapes_ok {
        return Err(malformed("a parameter has a % that is not followed by two hexadecimal digits"));
    }
    let spaced: Vec<u8> = raw.iter().map(|byte| if *byte == b'+' { b' ' } else { *byte }).collect();
    percent_decode(&spaced)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| malformed("a parameter is not UTF-8 once decoded"))
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(n, _)| n == name).map(|(_, value)| value.as_str())
}

/// The service the `Version` parameter names, else the one the request was signed for.
fn service(
    params: &[(String, String)],
    scoped: Option<&'static QueryService>,
) -> Result<&'static QueryService, AwsError> {
    match param(params, "Version") {
        Some(version) => QUERY_SERVICES.iter().find(|service| service.version == version).ok_or_else(|| {
            AwsError::new(
                "NoSuchVersion",
                format!(
                    "The requested version ({version}) is not valid; this endpoint answers {}.",
                    QUERY_SERVICES
                        .iter()
                        .map(|s| format!("{} {}", s.service, s.version))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        }),
        None => scoped.ok_or_else(|| {
            AwsError::new("MissingParameter", "The request must contain the parameter Version.")
        }),
    }
}

/// A parameter tree: the keys split at their dots.
#[derive(Debug)]
enum Node {
    Leaf(String),
    Tree(BTreeMap<String, Node>),
}

/// The action and its input in the api's JSON shape.
fn decode(service: &QueryService, params: Vec<(String, String)>) -> Result<(String, Value), AwsError> {
    let action = param(&params, "Action")
        .ok_or_else(|| AwsError::new("MissingAction", "The request must contain the parameter Action."))?
        .to_string();
    if action.is_empty() || !action.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AwsError::new("InvalidAction", format!("The action {action:?} is not valid.")));
    }
    let mut root = BTreeMap::new();
    for (key, value) in params {
        if key == "Action" || key == "Version" {
            continue;
        }
        let segments: Vec<&str> = key.split('.').collect();
        if segments.len() > MAX_DEPTH || segments.iter().any(|segment| segment.is_empty()) {
            return Err(malformed(format!(
                "the parameter name {key:?} must be 1 to {MAX_DEPTH} non-empty parts separated by dots"
            )));
        }
        insert(&mut root, &segments, value, &key)?;
    }
    let dialect = if service.service == "ec2" { Dialect::Ec2 } else { Dialect::Query };
    let input = object(root, service.service, dialect)?;
    Ok((action, input))
}

fn insert(
    tree: &mut BTreeMap<String, Node>,
    segments: &[&str],
    value: String,
    key: &str,
) -> Result<(), AwsError> {
    let conflict =
        || malformed(format!("the parameter {key} is given twice or is both a value and a structure"));
    let Some((first, rest)) = segments.split_first() else { return Err(conflict()) };
    if rest.is_empty() {
        if tree.contains_key(*first) {
            return Err(conflict());
        }
        tree.insert(first.to_string(), Node::Leaf(value));
        return Ok(());
    }
    match tree.entry(first.to_string()).or_insert_with(|| Node::Tree(BTreeMap::new())) {
        Node::Tree(child) => insert(child, rest, value, key),
        Node::Leaf(_) => Err(conflict()),
    }
}

/// The children of a list: keys 1, 2, … N, in that order.
fn items(tree: BTreeMap<String, Node>) -> Result<Vec<Node>, AwsError> {
    let mut numbered = Vec::with_capacity(tree.len());
    for (index, node) in tree {
        let number = index.parse::<usize>().ok().filter(|n| *n > 0 && !index.starts_with('0'));
        let number =
            number.ok_or_else(|| malformed(format!("{index:?} is not a list index (1, 2, 3, …)")))?;
        numbered.push((number, node));
    }
    numbered.sort_by_key(|(number, _)| *number);
    if numbered.iter().enumerate().any(|(at, (number, _))| *number != at + 1) {
        return Err(malformed("list indices must run 1, 2, 3, … without a gap"));
    }
    Ok(numbered.into_iter().map(|(_, node)| node).collect())
}

fn is_list(node: &Node, dialect: Dialect) -> bool {
    match (node, dialect) {
        (Node::Tree(tree), Dialect::Ec2) => {
            tree.keys().all(|key| key.starts_with(|c: char| c.is_ascii_digit()))
        }
        (Node::Tree(tree), Dialect::Query) => tree.len() == 1 && tree.contains_key("member"),
        (Node::Leaf(_), _) => false,
    }
}

fn object(tree: BTreeMap<String, Node>, service: &str, dialect: Dialect) -> Result<Value, AwsError> {
    let mut object = Map::new();
    for (name, node) in tree {
        let member = if dialect == Dialect::Ec2 && is_list(&node, dialect) {
            model::ec2_input_list(&name).to_string()
        } else {
            name
        };
        let value = value(node, &member, service, dialect)?;
        object.insert(member, value);
    }
    Ok(Value::Object(object))
}

fn value(node: Node, member: &str, service: &str, dialect: Dialect) -> Result<Value, AwsError> {
    let list = is_list(&node, dialect);
    let tree = match node {
        Node::Leaf(text) => return scalar(text, member, service),
        Node::Tree(tree) => tree,
    };
    let tree = match (list, dialect) {
        (true, Dialect::Ec2) => tree,
        (true, Dialect::Query) => match tree.into_values().next() {
            Some(Node::Tree(tree)) => tree,
            _ => return Err(malformed(format!("{member}.member must be followed by an index"))),
        },
        (false, _) if tree.len() == 1 && tree.contains_key("entry") && dialect == Dialect::Query => {
            return map(tree, member, service, dialect)
        }
        (false, _) => return object(tree, service, dialect),
    };
    let items = items(tree)?;
    let values = items.into_iter().map(|item| value(item, dialect.item(), service, dialect));
    Ok(Value::Array(values.collect::<Result<_, _>>()?))
}

/// `X.entry.N.key` / `X.entry.N.value` → an object.
fn map(
    mut tree: BTreeMap<String, Node>,
    member: &str,
    service: &str,
    dialect: Dialect,
) -> Result<Value, AwsError> {
    let Some(Node::Tree(entries)) = tree.remove("entry") else {
        return Err(malformed(format!("{member}.entry must be followed by an index")));
    };
    let mut object = Map::new();
    for entry in items(entries)? {
        let Node::Tree(mut entry) = entry else {
            return Err(malformed(format!("each {member}.entry.N has a key and a value")));
        };
        let (Some(Node::Leaf(key)), Some(node)) = (entry.remove("key"), entry.remove("value")) else {
            return Err(malformed(format!("each {member}.entry.N has a key and a value")));
        };
        let value = value(node, member, service, dialect)?;
        object.insert(key, value);
    }
    Ok(Value::Object(object))
}

/// A leaf: text, unless the model says the member is a number or a boolean.
fn scalar(text: String, member: &str, service: &str) -> Result<Value, AwsError> {
    let invalid = |expected: &str| {
        AwsError::new(
            "InvalidParameterValue",
            format!("Value ({text}) for parameter {member} is invalid: expected {expected}."),
        )
    };
    match model::scalar(service, member) {
        None => Ok(Value::String(text)),
        Some(Scalar::Integer) => text.parse::<i64>().map(Value::from).map_err(|_| invalid("an integer")),
        Some(Scalar::Double) => text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| invalid("a finite number")),
        Some(Scalar::Boolean) => match text.as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(invalid("true or false")),
        },
    }
}

/// `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…`; an action without
/// output has no result element.
fn respond(service: &QueryService, action: &str, output: &Value, request_id: &str) -> Response {
    let root = format!("{action}Response");
    let mut document = Document::new();
    document.open(&root, Some(service.xmlns));
    if let Some(members) = output.as_object().filter(|members| !members.is_empty()) {
        let result = format!("{action}Result");
        document.open(&result, None);
        document.members(members, Dialect::Query);
        document.close(&result);
    }
    document.open("ResponseMetadata", None);
    document.text("RequestId", request_id);
    document.close("ResponseMetadata");
    document.close(&root);
    Response::ok(TEXT_XML, document.finish())
}

/// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` (EC2's
/// own shape for EC2), with the status the service's model gives the error.
fn error(service: Option<&QueryService>, failure: &AwsError, request_id: &str) -> Response {
    if service.is_some_and(|service| service.service == "ec2") {
        return ec2::error(failure, request_id);
    }
    let status =
        service.map_or_else(|| failure.http_status(), |service| model::status(service.service, failure));
    let xmlns = service.map(|service| service.xmlns);
    let shape = ErrorShape { outer: &["ErrorResponse"], xmlns, typed: true, request_id: "RequestId" };
    xml::error(shape, status, failure, request_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decoded(version: &str, body: &str) -> Result<(String, Value), AwsError> {
        let headers = vec![(
            "Content-Type".to_string(),
            "application/x-www-form-urlencoded; charset=utf-8".to_string(),
        )];
        let request =
            Request { method: "POST", path: "/", query: "", headers: &headers, body: body.as_bytes() };
        let params = params(&request)?;
        let service = QUERY_SERVICES.iter().find(|s| s.version == version).unwrap();
        decode(service, params)
    }

    #[test]
    fn flattened_parameters_become_the_json_input() {
        let (action, input) = decoded(
            "2010-08-01",
            "Action=PutMetricAlarm&Version=2010-08-01&AlarmName=cpu+high%21&Period=60&Threshold=90.5\
             &ActionsEnabled=false&Dimensions.member.1.Name=ClusterName&Dimensions.member.1.Value=demo\
             &Dimensions.member.2.Name=B&Dimensions.member.2.Value=2&AlarmActions.member.1=arn%3Ax\
             &Tags.entry.1.key=k&Tags.entry.1.value=v",
        )
        .unwrap();
        assert_eq!(action, "PutMetricAlarm");
        assert_eq!(
            input,
            json!({"ActionsEnabled": false, "AlarmActions": ["arn:x"], "AlarmName": "cpu high!",
                "Dimensions": [{"Name": "ClusterName", "Value": "demo"}, {"Name": "B", "Value": "2"}],
                "Period": 60, "Tags": {"k": "v"}, "Threshold": 90.5})
        );
    }

    #[test]
    fn ec2_lists_go_by_index_under_their_location_names() {
        let (_, input) = decoded(
            "2016-11-15",
            "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2\
             &Filter.1.Name=instance-state-name&Filter.1.Value.1=running&Filter.1.Value.2=pending&MaxResults=5&DryRun=false",
        )
        .unwrap();
        assert_eq!(
            input,
            json!({"DryRun": false, "Filters": [{"Name": "instance-state-name", "Values": ["running", "pending"]}],
                "InstanceIds": ["i-1", "i-2"], "MaxResults": 5})
        );
    }

    #[test]
    fn malformed_parameters_are_refused_with_query_errors() {
        let cases = [
            ("Action=GetRole&RoleName=%zz", "MalformedQueryString"),
            ("Action=GetRole&RoleName=%ff", "MalformedQueryString"),
            ("Action=GetRole&RoleName=a&RoleName=b", "MalformedQueryString"),
            ("Action=GetRole&A.B=1&A=2", "MalformedQueryString"),
            ("Action=GetRole&Tags.member.2.Key=k", "MalformedQueryString"),
            ("Action=GetRole&Tags.member.01.Key=k", "MalformedQueryString"),
            ("Action=GetRole&Tags..Key=k", "MalformedQueryString"),
            ("Action=ListAttachedRolePolicies&MaxItems=ten", "InvalidParameterValue"),
            ("RoleName=r", "MissingAction"),
            ("Action=Get%20Role", "InvalidAction"),
        ];
        for (body, expected) in cases {
            assert_eq!(decoded("2010-05-08", body).unwrap_err().error_type, expected, "{body}");
        }
        let deep = format!("Action=GetRole&{}=1", vec!["a"; MAX_DEPTH + 1].join("."));
        assert_eq!(decoded("2010-05-08", &deep).unwrap_err().error_type, "MalformedQueryString");
        let many = "a=1&".repeat(MAX_PARAMETERS + 1);
        assert_eq!(decoded("2010-05-08", &many).unwrap_err().error_type, "MalformedQueryString");
    }
}
