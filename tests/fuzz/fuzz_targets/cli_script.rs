//! Arbitrary text as an AWS-CLI script: parsed and interpreted against the recording backend.
//! Nothing may panic, a syntax error must carry a position inside the script, and the same text must
//! give the same report twice (the interpreter holds no hidden state).

#![no_main]

use ecs_daemon_sim::cli::dry_run;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (report, _) = dry_run(text);
    if let Some(error) = &report.syntax_error {
        let lines = text.lines().count().max(1);
        assert!(error.position.line >= 1 && error.position.line <= lines + 1, "line {} of {lines}", error.position.line);
        assert_eq!(report.exit_status, 2);
    }
    let (again, _) = dry_run(text);
    assert_eq!(report.to_json(), again.to_json());
});
