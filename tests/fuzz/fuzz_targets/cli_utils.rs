//! The console's text utilities (`jq`, `grep`, `awk`, `sort`, …) on arbitrary arguments and input.
//! Input: the first line names the utility, the second holds its arguments separated by tabs, the
//! rest is standard input (also the session file `f`, so `FILE` operands read it). Nothing may
//! panic, the status must be a shell status (0–255), and the same input must give the same output
//! twice. jq programs that can run without end (`repeat`, `range`, `recurse`, `while`, `until`,
//! recursive `def`s) are skipped: jaq has no step limit, and an endless program is not a bug of
//! the console's, only a slow one (the module documentation says so).

#![no_main]

use ecs_daemon_sim::cli::fs::MemFs;
use ecs_daemon_sim::cli::utils::{run_utility, UtilIo, UTILITIES};
use libfuzzer_sys::fuzz_target;

const ENDLESS: &[&str] = &["repeat", "range", "recurse", "while", "until", "def", "limit", "..", "walk", "env", "input"];

fn run(name: &str, args: &[String], stdin: &str) -> (String, String, i32, Vec<(String, String)>) {
    let mut fs = MemFs::new();
    fs.write("f", stdin);
    let mut io = UtilIo::new(stdin, &mut fs, 1_764_629_220_000);
    let status = run_utility(name, args, &mut io).expect("a listed utility runs");
    let (stdout, stderr) = (io.stdout, io.stderr);
    let files = fs.paths().map(|p| (p.to_string(), fs.read(p).unwrap_or_default().to_string())).collect();
    (stdout, stderr, status, files)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.splitn(3, '\n');
    let name = lines.next().unwrap_or("").trim();
    let Some(name) = UTILITIES.iter().find(|u| **u == name) else { return };
    let args: Vec<String> = lines.next().unwrap_or("").split('\t').filter(|a| !a.is_empty()).map(String::from).collect();
    let stdin = lines.next().unwrap_or("");
    if *name == "jq" && args.iter().any(|a| ENDLESS.iter().any(|e| a.contains(e))) {
        return;
    }
    // seq's ranges and awk's loops are bounded by the utilities themselves; keep runs short.
    if *name == "seq" && args.iter().any(|a| a.len() > 6) {
        return;
    }
    let first = run(name, &args, stdin);
    assert!((0..=255).contains(&first.2), "{name} {args:?} exited {}", first.2);
    let again = run(name, &args, stdin);
    assert_eq!(first, again, "{name} {args:?} is not deterministic");
});
