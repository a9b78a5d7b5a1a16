//! The steps of `cargo xtask test` and `cargo xtask serve`.

use crate::server::StaticServer;
use crate::tools::{self, Need, Toolchain, CHROMEDRIVER};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub(crate) const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Everything, failing on the first error, then one summary line and a `N passed, N failed` total.
pub fn test() -> Result<(), String> {
    refuse_golden_update(std::env::var_os("UPDATE_GOLDEN").as_deref())?;
    let root = project_root();
    let toolchain = tools::ensure(&root, Need::BuildAndBrowser)?;
    let run = Runner { root: root.clone(), toolchain };
    let mut summary = Summary::default();

    run.plain("cargo fmt --check", cargo(&["fmt", "--all", "--", "--check"]))?;
    run.plain("cargo fetch", cargo(&["fetch", "--locked"]))?;
    run.plain(
        "cargo clippy (host)",
        cargo(&["clippy", "--locked", "--all-targets", "--", "-D", "warnings"]),
    )?;
    let browser_tests = browser_test_targets(&root)?;
    let mut wasm_clippy = vec!["clippy", "--locked", "--target", WASM_TARGET, "--lib", "--bins"];
    wasm_clippy.extend(browser_tests.iter().flat_map(|t| ["--test", t.as_str()]));
    wasm_clippy.extend(["--", "-D", "warnings"]);
    run.plain("cargo clippy (wasm32)", cargo(&wasm_clippy))?;

    summary.native = run.counted("native tests", cargo(&["test", "--locked"]))?;
    summary.fuzz = fuzz_briefly(&run, &root)?;

    // Real AWS clients against `ecs-daemon-sim serve` (the binary the native tests just built):
    // the AWS CLI runs seed 002's tutorial, boto3 waits, rolls back and checks every response
    // against botocore's model, the JavaScript SDK round-trips daemon actions.
    let served_binary = root.join("target/debug/ecs-daemon-sim");
    let python = run.toolchain.clients_python.clone().ok_or("the AWS clients were not installed")?;
    let mut clients = Command::new(python);
    clients.arg(root.join("tests/clients/run.py")).env("ECS_DAEMON_SIM_BIN", &served_binary);
    summary.clients = run.counted("real AWS clients: AWS CLI, boto3 (tests/clients)", clients)?;
    let mut sdk = Command::new("node");
    sdk.args(["--test", "--test-reporter=tap"])
        .arg(root.join("www/e2e/aws-sdk.test.mjs"))
        .env("ECS_DAEMON_SIM_BIN", &served_binary);
    summary.clients.passed +=
        run.counted("real AWS clients: the AWS SDK for JavaScript (node --test)", sdk)?.passed;

    let mut wasm_test = vec!["test", "--locked", "--target", WASM_TARGET];
    wasm_test.extend(browser_tests.iter().flat_map(|t| ["--test", t.as_str()]));
    let mut browser = cargo(&wasm_test);
    browser
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", root.join("www/e2e/webdriver.json"))
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    summary.browser = run.counted("browser tests (wasm-bindgen-test, headless Chromium)", browser)?;

    // The example consumers (examples/): separate packages that use the simulator as a team's own
    // tests would, in a target directory of their own so they do not disturb the crate's builds.
    let examples_target = root.join("target/examples");
    let mut native_example = cargo(&["test", "--locked"]);
    native_example.current_dir(root.join("examples/rust-native")).env("CARGO_TARGET_DIR", &examples_target);
    summary.examples =
        run.counted("example consumer: Rust, native (examples/rust-native)", native_example)?;
    let mut wasm_example = cargo(&["test", "--locked", "--target", WASM_TARGET]);
    wasm_example
        .current_dir(root.join("examples/rust-wasm"))
        .env("CARGO_TARGET_DIR", &examples_target)
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", root.join("www/e2e/webdriver.json"))
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    summary.examples.passed +=
        run.counted("example consumer: Rust, wasm-bindgen-test (examples/rust-wasm)", wasm_example)?.passed;

    run.plain("trunk build --release", trunk_build(&root))?;
    summary.wasm_bytes = release_wasm_size(&root.join("dist"));
    // The built bundle in Node's own test runner, as a JavaScript team would use it.
    let mut node_example = Command::new("node");
    node_example.args(["--test", "--test-reporter=tap"]).arg(root.join("examples/node/rollout.test.mjs"));
    summary.examples.passed +=
        run.counted("example consumer: JavaScript, node --test (examples/node)", node_example)?.passed;

    let server = StaticServer::start(&root.join("dist"))?;
    let mut e2e = Command::new("node");
    e2e.arg(root.join("www/e2e/smoke.mjs")).arg(server.url()).arg(root.join("target/e2e"));
    summary.e2e = run.counted("end-to-end (playwright-core, /usr/bin/chromium)", e2e)?;
    // Sharing and saving: a share link opened in a new browser, the autosave across a reload, a
    // refused import; on the same served site.
    let mut share = Command::new("node");
    share.arg(root.join("www/e2e/share.mjs")).arg(server.url()).arg(root.join("target/e2e"));
    let shared = run.counted("end-to-end: share, autosave, import (playwright-core)", share)?;
    summary.e2e.passed += shared.passed;
    // Embeds on the example documentation page, the plain-JS API example, `?lesson=`.
    let mut embeds = Command::new("node");
    embeds.arg(root.join("www/e2e/embed.mjs")).arg(server.url()).arg(root.join("target/e2e"));
    summary.e2e.passed += run.counted("end-to-end: docs page embeds, JS example, ?lesson", embeds)?.passed;
    // The playground explains itself: layout at two sizes, key moments narrated long enough, motion.
    let mut explain = Command::new("node");
    explain.arg(root.join("www/e2e/explain.mjs")).arg(server.url()).arg(root.join("target/e2e"));
    summary.e2e.passed +=
        run.counted("end-to-end: story line, layout, motion (playwright-core)", explain)?.passed;
    // The sidecar comparison and the dense view of 10,000 instances.
    let mut fleets = Command::new("node");
    fleets.arg(root.join("www/e2e/fleets.mjs")).arg(server.url()).arg(root.join("target/e2e"));
    summary.e2e.passed += run.counted("end-to-end: sidecar comparison, dense view at 10,000", fleets)?.passed;
    drop(server);

    // Follow mode: `ecs-daemon-sim serve --playground dist` (the program the native tests built),
    // a fleet driven over HTTP, the page opened from the server.
    let mut follow = Command::new("node");
    follow
        .arg(root.join("www/e2e/follow.mjs"))
        .arg(&served_binary)
        .arg(root.join("dist"))
        .arg(root.join("target/e2e"));
    summary.e2e.passed += run.counted("end-to-end: follow mode (serve + playground)", follow)?.passed;

    summary.print();
    Ok(())
}

/// The test command compares golden files, never rewrites them: with `UPDATE_GOLDEN` set (to anything,
/// even a value the tests would ignore) it refuses to start, so a variable left in a shell or a CI
/// environment cannot bless changed output on the way to a green run.
fn refuse_golden_update(update_golden: Option<&std::ffi::OsStr>) -> Result<(), String> {
    match update_golden {
        None => Ok(()),
        Some(value) => Err(format!(
            "UPDATE_GOLDEN is set ({value:?}): `cargo xtask test` checks the golden files and never rewrites \
             them. Unset it (`env -u UPDATE_GOLDEN cargo xtask test`); to rewrite goldens on purpose run \
             `UPDATE_GOLDEN=1 cargo test --test engine golden::` (or `--test cli seed002::console_`) and review \
             the diff."
        )),
    }
}

/// Builds the release site (wasm-opt included) and serves it on 127.0.0.1 until interrupted.
pub fn serve(port: u16) -> Result<(), String> {
    let root = project_root();
    let toolchain = tools::ensure(&root, Need::Build)?;
    let run = Runner { root, toolchain };
    run.plain("cargo fetch", cargo(&["fetch", "--locked"]))?;
    println!(
        "Serving the playground on http://127.0.0.1:{port}/ once the release build is done (Ctrl-C stops)"
    );
    let mut serve = Command::new("trunk");
    serve.args(["serve", "--release", "--offline", "--address", "127.0.0.1", "--port"]).arg(port.to_string());
    serve.env("TRUNK_SKIP_VERSION_CHECK", "true");
    run.prepare("trunk serve", &mut serve);
    let status = serve.status().map_err(|e| format!("trunk serve: cannot start: {e}"))?;
    // Ctrl-C reaches Trunk too, and ending by a signal is how a user stops serving: not a failure.
    use std::os::unix::process::ExitStatusExt;
    if status.success() || status.signal().is_some() {
        Ok(())
    } else {
        Err(format!("trunk serve failed ({status})"))
    }
}

/// Seconds each fuzz target runs in the test command: long enough to catch shallow panics on inputs
/// the tests never thought of, short enough for CI. Long runs are described in tests/fuzz/README.md.
const FUZZ_SECONDS_PER_TARGET: u32 = 20;

/// Every cargo-fuzz target in tests/fuzz, each for [`FUZZ_SECONDS_PER_TARGET`], starting from its
/// committed seeds. Returns (targets, executions).
fn fuzz_briefly(run: &Runner, root: &Path) -> Result<(u64, u64), String> {
    let fuzz_dir = root.join("tests/fuzz");
    let entries =
        std::fs::read_dir(fuzz_dir.join("fuzz_targets")).map_err(|e| format!("reading fuzz targets: {e}"))?;
    let mut targets: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".rs").map(str::to_string))
        .collect();
    targets.sort();
    let mut executions = 0;
    for target in &targets {
        let corpus = root.join("target/fuzz-corpus").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| format!("creating {}: {e}", corpus.display()))?;
        let mut fuzz = cargo(&["fuzz", "run", "--fuzz-dir"]);
        fuzz.arg(&fuzz_dir).arg(target).arg(&corpus);
        let seeds = fuzz_dir.join("seeds").join(target);
        if seeds.is_dir() {
            fuzz.arg(seeds);
        }
        fuzz.args(["--", "-max_len=4096", "-timeout=10", "-print_final_stats=1"]);
        fuzz.arg(format!("-max_total_time={FUZZ_SECONDS_PER_TARGET}"));
        // cargo-fuzz passes nightly-only flags (`-Zsanitizer`); stable rustc accepts them with this.
        fuzz.env("RUSTC_BOOTSTRAP", "1");
        executions += run.fuzzed(&format!("fuzz {target} ({FUZZ_SECONDS_PER_TARGET} s)"), fuzz)?;
    }
    Ok((targets.len() as u64, executions))
}

/// The test targets that run in headless Chromium: `tests/browser/main.rs` (the `browser` binary
/// holding every browser suite) and any `tests/browser_*.rs` standing alone.
fn browser_test_targets(root: &Path) -> Result<Vec<String>, String> {
    let tests = root.join("tests");
    let entries = std::fs::read_dir(&tests).map_err(|e| format!("reading tests/: {e}"))?;
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| match name.strip_suffix(".rs") {
            Some(stem) if stem.starts_with("browser_") => Some(stem.to_string()),
            None if name == "browser" && tests.join("browser/main.rs").is_file() => Some(name),
            _ => None,
        })
        .collect();
    names.sort();
    if names.is_empty() {
        return Err("no browser test target (tests/browser/main.rs or tests/browser_*.rs) found".into());
    }
    Ok(names)
}

pub(crate) fn trunk_build(root: &Path) -> Command {
    let mut build = Command::new("trunk");
    build.args(["build", "--release", "--offline"]).env("TRUNK_SKIP_VERSION_CHECK", "true").current_dir(root);
    build
}

pub(crate) fn release_wasm_size(dist: &Path) -> Option<(u64, Option<u64>)> {
    let wasm = std::fs::read_dir(dist)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|ext| ext == "wasm"))?;
    let raw = std::fs::metadata(&wasm).ok()?.len();
    let gzipped = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(&wasm)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| o.stdout.len() as u64);
    Some((raw, gzipped))
}

pub(crate) fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn cargo(args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args(args);
    command
}

struct Runner {
    root: PathBuf,
    toolchain: Toolchain,
}

impl Runner {
    fn prepare(&self, title: &str, command: &mut Command) {
        println!("==> {title}");
        command.env("PATH", self.toolchain.path_env());
        if command.get_current_dir().is_none() {
            command.current_dir(&self.root);
        }
    }

    fn plain(&self, title: &str, mut command: Command) -> Result<(), String> {
        self.prepare(title, &mut command);
        let status = command.status().map_err(|e| format!("{title}: cannot start: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{title} failed ({status})"))
        }
    }

    /// Runs a test command, echoing its output, and adds up the `N passed; N failed` lines it prints.
    fn counted(&self, title: &str, mut command: Command) -> Result<Counts, String> {
        self.prepare(title, &mut command);
        command.stdout(Stdio::piped());
        let mut child = command.spawn().map_err(|e| format!("{title}: cannot start: {e}"))?;
        let mut counts = Counts::default();
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                println!("{line}");
                counts.add_line(&line);
            }
        }
        let status = child.wait().map_err(|e| format!("{title}: {e}"))?;
        if !status.success() || counts.failed > 0 {
            return Err(format!(
                "{title} failed ({status}; {} passed, {} failed)",
                counts.passed, counts.failed
            ));
        }
        if counts.passed == 0 {
            return Err(format!("{title}: no test ran"));
        }
        Ok(counts)
    }
}

impl Runner {
    /// Runs a fuzz target quietly (libFuzzer is chatty) and returns how many inputs it executed; on a
    /// crash, prints what libFuzzer said, including where it saved the input.
    fn fuzzed(&self, title: &str, mut command: Command) -> Result<u64, String> {
        self.prepare(title, &mut command);
        let output = command.output().map_err(|e| format!("{title}: cannot start: {e}"))?;
        let log = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            eprintln!("{log}");
            return Err(format!("{title} failed ({})", output.status));
        }
        let executions = log
            .lines()
            .find_map(|line| line.strip_prefix("stat::number_of_executed_units:"))
            .and_then(|n| n.trim().parse().ok())
            .ok_or_else(|| format!("{title}: libFuzzer printed no execution count"))?;
        println!("{executions} executions, no crash");
        Ok(executions)
    }
}

#[derive(Default, Clone, Copy)]
struct Counts {
    passed: u64,
    failed: u64,
}

impl Counts {
    /// Reads libtest's `test result: ok. 3 passed; 0 failed; …` and the e2e script's `3 passed, 0 failed`.
    fn add_line(&mut self, line: &str) {
        // Node's TAP reporter: `# pass 3` and `# fail 0` lines.
        if let Some(n) = line.strip_prefix("# pass ").and_then(|n| n.trim().parse::<u64>().ok()) {
            self.passed += n;
            return;
        }
        if let Some(n) = line.strip_prefix("# fail ").and_then(|n| n.trim().parse::<u64>().ok()) {
            self.failed += n;
            return;
        }
        let Some(rest) = line.strip_prefix("test result: ").or_else(|| line.strip_prefix("e2e: ")) else {
            return;
        };
        let number_before = |word: &str| -> Option<u64> {
            let at = rest.find(word)?;
            rest[..at].trim_end().rsplit([' ', '.']).next()?.parse().ok()
        };
        self.passed += number_before(" passed").unwrap_or(0);
        self.failed += number_before(" failed").unwrap_or(0);
    }
}

#[derive(Default)]
struct Summary {
    native: Counts,
    browser: Counts,
    examples: Counts,
    clients: Counts,
    e2e: Counts,
    /// Fuzz targets run and inputs executed.
    fuzz: (u64, u64),
    wasm_bytes: Option<(u64, Option<u64>)>,
}

impl Summary {
    fn print(&self) {
        let size = match self.wasm_bytes {
            Some((raw, Some(gz))) => format!("{} KB wasm, {} KB gzipped", raw / 1024, gz / 1024),
            Some((raw, None)) => format!("{} KB wasm", raw / 1024),
            None => "no wasm found".into(),
        };
        println!(
            "summary: fmt ok; clippy host+wasm32 ok; native tests {}; fuzz targets {} ({} executions, no crash); real AWS clients {}; browser tests {}; example consumers {}; trunk release build ok ({size}); e2e checks {}",
            self.native.passed,
            self.fuzz.0,
            self.fuzz.1,
            self.clients.passed,
            self.browser.passed,
            self.examples.passed,
            self.e2e.passed
        );
        let passed = self.native.passed
            + self.clients.passed
            + self.browser.passed
            + self.examples.passed
            + self.e2e.passed;
        println!("total: {passed} passed, 0 failed");
    }
}

#[cfg(test)]
mod tests {
    use super::{refuse_golden_update, Counts};
    use std::ffi::OsStr;

    #[test]
    fn refuses_to_run_with_update_golden_set_to_anything() {
        assert_eq!(refuse_golden_update(None), Ok(()));
        for value in ["1", "0", "", "true"] {
            let message = refuse_golden_update(Some(OsStr::new(value))).unwrap_err();
            assert!(message.starts_with("UPDATE_GOLDEN is set"), "{message}");
            assert!(message.contains("UPDATE_GOLDEN=1 cargo test --test engine golden::"), "{message}");
        }
    }

    #[test]
    fn counts_libtest_and_e2e_closing_lines() {
        let mut counts = Counts::default();
        counts.add_line("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out");
        counts.add_line("test result: FAILED. 3 passed; 2 failed; 0 ignored");
        counts.add_line("e2e: 4 passed, 0 failed");
        counts.add_line("running 12 tests");
        assert_eq!((counts.passed, counts.failed), (19, 2));
    }

    #[test]
    fn counts_node_tap_totals_not_its_subtest_lines() {
        let mut counts = Counts::default();
        for line in ["ok 1 - the rollout plan", "not ok 2 - bad input", "# tests 3", "# pass 2", "# fail 1"] {
            counts.add_line(line);
        }
        assert_eq!((counts.passed, counts.failed), (2, 1));
    }
}
