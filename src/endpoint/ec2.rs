//! EC2's dialect of the query protocol, for the EC2 actions the api simulates
//! (`DescribeInstances`, `TerminateInstances`). Requests are decoded by [`super::query`] (lists as
//! `InstanceId.1`, `Filter.1.Value.1`, under their `locationName`s); this module writes the
//! answers as EC2 does: no result wrapper, a `requestId` first, the model's `locationName`s and
//! `<item>` lists, and errors as `<Response><Errors><Error>…</Errors><RequestID>`.

use super::model::{self, QueryService};
use super::xml::{self, Dialect, Document, ErrorShape, TEXT_XML};
use super::Response;
use crate::api::AwsError;
use serde_json::Value;

/// `<ActionResponse xmlns="…"><requestId>…</requestId>…members…</ActionResponse>`.
pub fn respond(service: &QueryService, action: &str, output: &Value, request_id: &str) -> Response {
    let root = format!("{action}Response");
    let mut document = Document::new();
    document.open(&root, Some(service.xmlns));
    document.text("requestId", request_id);
    if let Some(members) = output.as_object() {
        document.members(members, Dialect::Ec2);
    }
    document.close(&root);
    Response::ok(TEXT_XML, document.finish())
}

/// EC2's error document.
pub fn error(failure: &AwsError, request_id: &str) -> Response {
    let status = model::status("ec2", failure);
    let shape =
        ErrorShape { outer: &["Response", "Errors"], xmlns: None, typed: false, request_id: "RequestID" };
    xml::error(shape, status, failure, request_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_and_errors_are_in_ec2s_shapes() {
        let service = model::QUERY_SERVICES.iter().find(|s| s.service == "ec2").unwrap();
        let output = json!({"TerminatingInstances": [{"InstanceId": "i-1",
            "CurrentState": {"Code": 32, "Name": "shutting-down"}}]});
        let answer = String::from_utf8(respond(service, "TerminateInstances", &output, "rid").body).unwrap();
        assert!(answer.contains(
            "<TerminateInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>rid</requestId><instancesSet><item><instanceId>i-1</instanceId><currentState><code>32</code><name>shutting-down</name></currentState></item></instancesSet></TerminateInstancesResponse>"
        ));
        let refused = error(&AwsError::new("InvalidInstanceID.NotFound", "no <such> instance"), "rid");
        assert_eq!(
            (refused.status, refused.error_type.as_deref()),
            (400, Some("InvalidInstanceID.NotFound"))
        );
        assert!(String::from_utf8(refused.body).unwrap().ends_with(
            "<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>no &lt;such&gt; instance</Message></Error></Errors><RequestID>rid</RequestID></Response>"
        ));
    }
}
