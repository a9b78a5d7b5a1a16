//! The console's interpreter compiled to wasm and run in headless Chromium (wasm-bindgen-test):
//! seed 002's tutorial through `session::Session`, as the playground's console runs it. Every command
//! succeeds, the describe-tasks table shows the daemon 18–21 s ahead of the app, and the event log
//! is the one the native build produces: both are checked against the same committed golden file
//! (`tests/golden/tutorial_seed7.hash`, also asserted natively in `tests/cli/seed002.rs`).
#![cfg(target_arch = "wasm32")]

use crate::support::golden::{parse_timestamp, tutorial_field};
use ecs_daemon_sim::cli::{CommandRecord, TUTORIAL_SCRIPT};
use ecs_daemon_sim::session::Session;
use wasm_bindgen_test::*;

/// (group, startedAt in epoch ms) for each data row of the describe-tasks table.
fn started_rows(table: &str) -> Vec<(String, i64)> {
    table
        .lines()
        .filter(|line| line.starts_with('|'))
        .map(|line| line.trim_matches('|').split('|').map(str::trim).collect::<Vec<_>>())
        .filter(|cells| cells.len() == 2 && cells[0] != "group")
        .map(|cells| (cells[0].to_string(), parse_timestamp(cells[1])))
        .collect()
}

fn run_tutorial_stepwise() -> (Session, Vec<CommandRecord>) {
    let mut console = Session::with_seed(7);
    console.begin_script(TUTORIAL_SCRIPT).expect("the tutorial parses");
    let mut records = Vec::new();
    while let Some(record) = console.step_script() {
        records.push(record);
    }
    (console, records)
}

#[wasm_bindgen_test]
fn the_tutorial_runs_in_the_browser_as_natively() {
    let (console, records) = run_tutorial_stepwise();

    // (a) Every command of the tutorial succeeded.
    assert_eq!(records.len(), 44);
    let failed: Vec<_> = records.iter().filter(|r| !r.success).collect();
    assert!(failed.is_empty(), "failed: {failed:#?}");

    // (b) The describe-tasks table: the daemon started 18–21 s before the app.
    let table = records
        .iter()
        .find(|r| r.command.starts_with("aws ecs describe-tasks"))
        .expect("the describe-tasks command")
        .stdout
        .clone();
    let rows = started_rows(&table);
    assert_eq!(rows.len(), 2, "{table}");
    let started = |group: &str| rows.iter().find(|(g, _)| g == group).expect(group).1;
    let lead = started("service:app-svc") - started("daemon:monitoring-agent");
    assert!((18_000..=21_000).contains(&lead), "daemon lead {lead} ms\n{table}");

    // (c) The event log is byte-identical to the native one: the same committed golden.
    assert_eq!(console.simulation().events().len().to_string(), tutorial_field("events"));
    assert_eq!(format!("{:#018x}", console.event_log_hash()), tutorial_field("hash"));
}

#[wasm_bindgen_test]
fn running_whole_and_stepping_agree_in_the_browser() {
    let (stepped, records) = run_tutorial_stepwise();
    let mut whole = Session::with_seed(7);
    let report = whole.script(TUTORIAL_SCRIPT);
    assert_eq!(report.records, records);
    assert_eq!(whole.event_log_hash(), stepped.event_log_hash());
    assert_eq!(whole.variable("ACCOUNT_ID"), Some("123456789012"));
}
