//! What the wire protocols need to know of botocore's service models (botocore 1.44,
//! `botocore/data/{iam,sts,monitoring,ec2}/.../service-2.json`) for the actions the api simulates,
//! and nothing more: which API version names which service, which input members are numbers or
//! booleans (the query protocols send every value as text), EC2's wire names, and the HTTP
//! status each service's model gives its errors. Everything else is generic: the structure of a
//! query request comes from its flattened keys, the structure of a response from the api's JSON.
//!
//! The tables were read off the models by walking the input and output shapes of the simulated
//! actions; `tests/clients/test_protocols.py` checks them against botocore's own serializers and
//! parsers.

use crate::api::AwsError;

/// A query-protocol service: its API `Version`, the api's service name, the SigV4 signing name
/// (the fallback when a request names no version) and the XML namespace of its responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryService {
    /// The `Version` parameter, e.g. `2010-05-08`.
    pub version: &'static str,
    /// The service the api answers for, e.g. `iam`.
    pub service: &'static str,
    /// The signing name in the SigV4 scope (`monitoring` for CloudWatch).
    pub signing_name: &'static str,
    /// The `xmlns` of the response documents.
    pub xmlns: &'static str,
}

/// The services answered in the query protocols; EC2's is its own dialect.
pub const QUERY_SERVICES: &[QueryService] = &[
    QueryService {
        version: "2010-05-08",
        service: "iam",
        signing_name: "iam",
        xmlns: "https://iam.amazonaws.com/doc/2010-05-08/",
    },
    QueryService {
        version: "2011-06-15",
        service: "sts",
        signing_name: "sts",
        xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
    },
    QueryService {
        version: "2010-08-01",
        service: "cloudwatch",
        signing_name: "monitoring",
        xmlns: "http://monitoring.amazonaws.com/doc/2010-08-01/",
    },
    QueryService {
        version: "2016-11-15",
        service: "ec2",
        signing_name: "ec2",
        xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
    },
];

/// The type of an input member that is not a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// `integer` or `long`.
    Integer,
    /// `double`.
    Double,
    /// `boolean` (`true` / `false` on the wire).
    Boolean,
}

/// Input members, by service and member name, whose model type is not a string (every other
/// leaf is one). A member name has one type within each service's simulated actions.
const SCALARS: &[(&str, &str, Scalar)] = &[
    ("iam", "MaxSessionDuration", Scalar::Integer),
    ("iam", "MaxSigninSessionDuration", Scalar::Integer),
    ("iam", "MaxItems", Scalar::Integer),
    ("cloudwatch", "Period", Scalar::Integer),
    ("cloudwatch", "EvaluationPeriods", Scalar::Integer),
    ("cloudwatch", "DatapointsToAlarm", Scalar::Integer),
    ("cloudwatch", "EvaluationInterval", Scalar::Integer),
    ("cloudwatch", "PendingPeriod", Scalar::Integer),
    ("cloudwatch", "RecoveryPeriod", Scalar::Integer),
    ("cloudwatch", "WarmUpPeriodDurationInMinutes", Scalar::Integer),
    ("cloudwatch", "MaxRecords", Scalar::Integer),
    ("cloudwatch", "Threshold", Scalar::Double),
    ("cloudwatch", "ActionsEnabled", Scalar::Boolean),
    ("cloudwatch", "ReturnData", Scalar::Boolean),
    ("cloudwatch", "Enabled", Scalar::Boolean),
    ("cloudwatch", "OnlyStartEvaluatingAfterWarmUpPeriodEnds", Scalar::Boolean),
    ("ec2", "MaxResults", Scalar::Integer),
    ("ec2", "DryRun", Scalar::Boolean),
    ("ec2", "Force", Scalar::Boolean),
    ("ec2", "SkipOsShutdown", Scalar::Boolean),
    ("ec2", "IncludeManagedResources", Scalar::Boolean),
];

/// The type of input member `member` of `service`, when it is not a string.
pub fn scalar(service: &str, member: &str) -> Option<Scalar> {
    SCALARS.iter().find(|(s, m, _)| *s == service && *m == member).map(|(_, _, scalar)| *scalar)
}

/// EC2 request lists are sent under their `locationName` (`InstanceId.1`, `Filter.1.Value.1`);
/// the api reads the member names.
const EC2_INPUT_LISTS: &[(&str, &str)] =
    &[("InstanceId", "InstanceIds"), ("Filter", "Filters"), ("Value", "Values")];

/// The member name of an EC2 request list sent as `wire`.
pub fn ec2_input_list(wire: &str) -> &str {
    EC2_INPUT_LISTS.iter().find(|(w, _)| *w == wire).map_or(wire, |(_, member)| member)
}

/// EC2 response members whose `locationName` is not their name with a lower-case first letter.
const EC2_OUTPUT_NAMES: &[(&str, &str)] = &[
    ("Reservations", "reservationSet"),
    ("Instances", "instancesSet"),
    ("TerminatingInstances", "instancesSet"),
    ("Groups", "groupSet"),
    ("Tags", "tagSet"),
    ("State", "instanceState"),
];

/// The XML element name of EC2 response member `member`.
pub fn ec2_output_name(member: &str) -> String {
    if let Some((_, name)) = EC2_OUTPUT_NAMES.iter().find(|(m, _)| *m == member) {
        return name.to_string();
    }
    let mut chars = member.chars();
    chars.next().map(|first| first.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// Errors whose model gives an HTTP status other than 400 (or 500 for a server fault).
const ERROR_STATUSES: &[(&str, &str, u16)] = &[
    ("iam", "NoSuchEntity", 404),
    ("iam", "EntityAlreadyExists", 409),
    ("iam", "DeleteConflict", 409),
    ("iam", "LimitExceeded", 409),
    ("iam", "ConcurrentModification", 409),
    ("iam", "EntityTemporarilyUnmodifiable", 409),
    ("iam", "ServiceFailure", 500),
    ("ec2", "DryRunOperation", 412),
    ("cloudwatch", "ResourceNotFound", 404),
    ("cloudwatch", "ResourceNotFoundException", 404),
    ("cloudwatch", "ResourceConflict", 409),
    ("cloudwatch", "ConcurrentModificationException", 429),
    ("cloudwatch", "InternalServiceError", 500),
];

/// The HTTP status `service` answers `error` with.
pub fn status(service: &str, error: &AwsError) -> u16 {
    ERROR_STATUSES
        .iter()
        .find(|(s, code, _)| *s == service && *code == error.error_type)
        .map_or_else(|| error.http_status(), |(_, _, status)| *status)
}

/// The query protocols' name for an error the api reports in AWS JSON terms (a request that
/// names no action the service has, a member of the wrong type).
pub fn query_code(error: &AwsError) -> &str {
    match error.error_type.as_str() {
        "UnknownOperationException" => "InvalidAction",
        "SerializationException" | "InvalidParameterException" => "InvalidParameterValue",
        other => other,
    }
}

/// `x-amzn-query-error: Code;Sender`: how a query-compatible service (CloudWatch) names the
/// query protocol's error code when it answers in JSON or CBOR.
pub fn query_error_header(status: u16, error: &AwsError) -> (&'static str, String) {
    ("x-amzn-query-error", format!("{};{}", error.error_type, fault(status)))
}

/// `Sender` for the caller's fault, `Receiver` for the service's.
pub fn fault(status: u16) -> &'static str {
    if status >= 500 {
        "Receiver"
    } else {
        "Sender"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_answer_by_service_and_name() {
        assert_eq!(scalar("cloudwatch", "Threshold"), Some(Scalar::Double));
        assert_eq!(scalar("iam", "Threshold"), None);
        assert_eq!(ec2_input_list("Filter"), "Filters");
        assert_eq!(ec2_input_list("Name"), "Name");
        assert_eq!(ec2_output_name("Reservations"), "reservationSet");
        assert_eq!(ec2_output_name("InstanceId"), "instanceId");
        assert_eq!(status("iam", &AwsError::new("NoSuchEntity", "x")), 404);
        assert_eq!(status("sts", &AwsError::new("NoSuchEntity", "x")), 400);
        assert_eq!(status("iam", &AwsError::server("x")), 500);
        assert_eq!(query_code(&AwsError::unknown_operation("iam", "Fly")), "InvalidAction");
        assert_eq!(fault(404), "Sender");
    }
}
