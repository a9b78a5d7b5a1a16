//! Arbitrary bytes as a scenario file (`session::import`) and as a URL query (`url::decode`).
//! Nothing may panic or overflow the stack; a refusal is well-formed (a known AWS-style error type,
//! a non-empty message of bounded length, an entry index inside the log); an accepted file exports
//! to text that imports to the same scenario and the same event log; the URL decoder always
//! returns a scenario that validates, with a named warning per problem.

#![no_main]

use ecs_daemon_sim::session::import;
use ecs_daemon_sim::session::scenario::{url, Scenario};
use libfuzzer_sys::fuzz_target;

const ERROR_TYPES: &[&str] = &[
    "ScenarioTooLargeException",
    "SerializationException",
    "InvalidParameterException",
    "UnsupportedSchemaVersionException",
    "LimitExceededException",
    "ReplayFailedException",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match import(&text) {
        Ok(run) => {
            let exported = run.scenario().to_json();
            let again = import(&exported).expect("an accepted scenario's export is refused");
            assert_eq!(again.scenario(), run.scenario());
            assert_eq!(again.simulation().event_log_hash(), run.simulation().event_log_hash());
        }
        Err(error) => {
            assert!(ERROR_TYPES.contains(&error.error_type), "unexpected error type {}", error.error_type);
            assert!(!error.message.is_empty());
            assert!(error.message.len() < 2_000, "the message echoes the input: {} bytes", error.message.len());
            if let (Some(entry), Ok(scenario)) = (error.entry, Scenario::from_json(&text)) {
                assert!(entry < scenario.log.len());
            }
        }
    }
    let decoded = url::decode(&text);
    decoded.scenario.validate().expect("the URL decoder produced an invalid scenario");
    for warning in &decoded.warnings {
        assert!(!warning.message.is_empty() && warning.parameter.len() < 200);
    }
});
