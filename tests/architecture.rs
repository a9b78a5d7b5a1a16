//! Rules of the project's shape that a reader would otherwise have to trust: the layers import
//! downward only, the engine stays pure, the README's quick start is the two commands, CI runs the
//! README's test command, each default, limit and time unit of the engine, the API and the
//! programs has one owner, the engine keeps every status as an enum whose text lives only in
//! its `as_str`, and the tests are one binary per layer (at most 10 binaries).

use std::path::{Path, PathBuf};

fn project_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The crate's top-level modules, lowest layer first, each with its rank: a module may import
/// modules of its own rank or lower, never higher. `support` (shared helpers) and `pattern` (the
/// EventBridge matcher, used by every layer above) sit below the engine; the playground and the
/// programs (`src/bin`, which reach the crate as `ecs_daemon_sim::…`) are at the top. `testkit`
/// (the sweep's worlds and the command builders of the tests and the benchmark) uses only the
/// engine but sits above every layer of the product so that none of them can import it; the
/// playground, above it, must not either ([`NOT_IMPORTED_BY`]).
const LAYERS: &[(&str, u8)] = &[
    ("support", 0),
    ("pattern", 1),
    ("engine", 2),
    ("api", 3),
    ("cli", 4),
    ("session", 5),
    ("testkit", 6),
    ("endpoint", 6),
    ("ui", 7),
    ("bin", 7),
];

/// `(module, importer)`: modules a higher layer must still not import. The playground ships to
/// users; the test harness is for tests, the sweep program and the benchmark only.
const NOT_IMPORTED_BY: &[(&str, &str)] = &[("testkit", "ui")];

fn rank(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(name, _)| *name == module).map(|(_, rank)| *rank)
}

/// The text without `//` comments (doc comments included: a link is not an import). A `//` inside
/// a string literal cuts the rest of its line too, which can only hide a path, never invent one.
fn without_comments(text: &str) -> String {
    text.lines().map(|line| line.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The identifier at the start of `text`.
fn leading_ident(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(text.len());
    &text[..end]
}

/// The first segment of each item of a `{ … }` use group at the start of `text` (nested groups
/// and newlines allowed): `{engine::X, api::{Y, Z}}` → `engine`, `api`.
fn group_heads(text: &str) -> Vec<&str> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut item_start = true;
    for (index, c) in text.char_indices() {
        match c {
            '{' => {
                depth += 1;
                item_start = depth == 1;
                continue;
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => {
                item_start = true;
                continue;
            }
            _ => {}
        }
        if item_start && depth == 1 && !c.is_whitespace() {
            heads.push(leading_ident(&text[index..]));
            item_start = false;
        }
    }
    heads
}

/// The module path of a file under `src/`: `src/api/neighbours/iam.rs` → `[api, neighbours, iam]`,
/// `src/api/mod.rs` → `[api]`.
fn module_path(path: &str) -> Vec<&str> {
    let inside = path.strip_prefix("src/").unwrap_or(path).trim_end_matches(".rs");
    let mut segments: Vec<&str> = inside.split('/').collect();
    if segments.last() == Some(&"mod") {
        segments.pop();
    }
    segments
}

/// The top-level modules a file refers to through the crate root: `crate::X`, `$crate::X`,
/// `use crate::{X::…, Y}` and enough `super::` to climb out of its own top-level module.
fn crate_modules_named(path: &str, text: &str) -> Vec<String> {
    let code = without_comments(text);
    let mut named = Vec::new();
    let mut add = |rest: &str| {
        if let Some(group) = rest.strip_prefix('{') {
            named.extend(group_heads(&format!("{{{group}")).into_iter().map(str::to_string));
        } else {
            named.push(leading_ident(rest).to_string());
        }
    };
    for (index, _) in code.match_indices("crate::") {
        let before = code[..index].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue; // `ecs_daemon_sim::`-like names end in other words, not in `crate`.
        }
        add(code[index + "crate::".len()..].trim_start());
    }
    let depth = module_path(path).len();
    for (index, _) in code.match_indices("super::") {
        if code[..index].ends_with("::") || code[..index].ends_with(|c: char| c.is_ascii_alphanumeric()) {
            continue; // counted from the first `super` of the chain
        }
        let mut rest = &code[index..];
        let mut climbs = 0;
        while let Some(after) = rest.strip_prefix("super::") {
            climbs += 1;
            rest = after.trim_start();
        }
        // A file at depth d is module path[..d] (mod.rs) or a child of path[..d-1]: `super` from
        // `src/api/x.rs` ([api, x]) is `api`; from `src/api/mod.rs` ([api]) it is the crate root.
        if climbs >= depth {
            add(rest);
        }
    }
    named
}

/// `(file, module)` for each file of `files` (paths relative to the project, under `src/`) that
/// names a top-level module of a higher layer than its own.
fn upward_imports(files: &[(String, String)]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, text) in files {
        let Some(own) = module_path(path).first().and_then(|top| rank(top)) else { continue };
        for module in crate_modules_named(path, text) {
            if rank(&module).is_some_and(|theirs| theirs > own)
                && !found.contains(&(path.clone(), module.clone()))
            {
                found.push((path.clone(), module));
            }
        }
    }
    found
}

/// `(file, module)` for each file of `files` that names a module its layer may reach by rank but
/// must not import ([`NOT_IMPORTED_BY`]).
fn forbidden_imports(files: &[(String, String)]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, text) in files {
        let Some(own) = module_path(path).first().copied() else { continue };
        for module in crate_modules_named(path, text) {
            if NOT_IMPORTED_BY.contains(&(module.as_str(), own))
                && !found.contains(&(path.clone(), module.clone()))
            {
                found.push((path.clone(), module));
            }
        }
    }
    found
}

/// Every `.rs` file under `src/`, as (path relative to the project, text).
fn source_files() -> Vec<(String, String)> {
    let root = project_file("");
    let mut paths = Vec::new();
    rust_files(&project_file("src"), &mut paths);
    paths
        .iter()
        .map(|p| {
            let relative = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            (relative, std::fs::read_to_string(p).unwrap())
        })
        .collect()
}

#[test]
fn each_layer_imports_only_its_own_layer_or_those_below() {
    let files = source_files();
    assert!(files.iter().any(|(p, _)| p == "src/engine/sim.rs"), "{:?}", &files[..3]);
    let upward = upward_imports(&files);
    assert!(upward.is_empty(), "(file, module of a higher layer it names), see LAYERS: {upward:?}");
}

#[test]
fn the_playground_does_not_import_the_testkit() {
    let files = source_files();
    assert!(files.iter().any(|(p, _)| p.starts_with("src/ui/")), "no playground files found");
    assert_eq!(forbidden_imports(&files), []);
}

#[test]
fn the_forbidden_import_check_catches_the_playground_importing_the_testkit() {
    let file = |path: &str, text: &str| (path.to_string(), text.to_string());
    let files = [
        file("src/ui/app.rs", "use crate::{engine::Simulation, testkit::builders};\n"),
        file("src/ui/mod.rs", "// a comment may name crate::testkit::Runner\nuse crate::session::Session;\n"),
        file("src/testkit/mod.rs", "use crate::engine::Simulation;\n"),
        file("src/engine/x.rs", "use crate::testkit::Runner;\n"),
    ];
    assert_eq!(forbidden_imports(&files), [("src/ui/app.rs".to_string(), "testkit".to_string())]);
    // Below the testkit, the layer rule itself forbids it.
    assert_eq!(upward_imports(&files), [("src/engine/x.rs".to_string(), "testkit".to_string())]);
}

#[test]
fn every_top_level_module_has_a_place_in_the_layers() {
    let lib = std::fs::read_to_string(project_file("src/lib.rs")).unwrap();
    let mut declared: Vec<&str> =
        lib.lines().filter_map(|line| line.trim().strip_prefix("pub mod ")?.strip_suffix(';')).collect();
    declared.push("bin");
    let mut placed: Vec<&str> = LAYERS.iter().map(|(name, _)| *name).collect();
    declared.sort();
    placed.sort();
    assert_eq!(declared, placed, "src/lib.rs's modules and the LAYERS table differ");
    for entry in std::fs::read_dir(project_file("src")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let module = name.trim_end_matches(".rs");
        assert!(module == "lib" || rank(module).is_some(), "src/{name} has no place in LAYERS");
    }
    assert!(rank("support") < rank("engine") && rank("pattern") < rank("api"));
    assert!(rank("session") < rank("testkit") && rank("testkit") < rank("bin"));
}

#[test]
fn the_layer_check_catches_an_upward_import() {
    let file = |path: &str, text: &str| (path.to_string(), text.to_string());
    let files = [
        file("src/engine/x.rs", "use crate::api::Api;\nuse crate::support::hash::fnv1a;\n"),
        file("src/api/y.rs", "use crate::{\n    engine::Simulation,\n    session::{import, Session},\n};\n"),
        file("src/cli/utils/w.rs", "fn f() { super::super::super::session::import(\"\"); }\n"),
        file("src/support/mod.rs", "//! Links to [`crate::api::Api`] are not imports.\nmacro_rules! m { () => { $crate::engine::X } }\n"),
        file("src/session/b.rs", "use crate::cli::Interpreter;\nuse crate::pattern::EventPattern;\nuse super::scenario;\n"),
        file("src/pattern/mod.rs", "use super::support::order;\nuse super::api::AwsError;\n"),
        file("src/ui/app.rs", "use crate::session::Session;\n"),
    ];
    assert_eq!(
        upward_imports(&files),
        [
            ("src/engine/x.rs".to_string(), "api".to_string()),
            ("src/api/y.rs".to_string(), "session".to_string()),
            ("src/cli/utils/w.rs".to_string(), "session".to_string()),
            ("src/support/mod.rs".to_string(), "engine".to_string()),
            ("src/pattern/mod.rs".to_string(), "api".to_string()),
        ]
    );
}

#[test]
fn engine_and_testkit_import_no_browser_crate_no_wall_clock_and_no_global_rng() {
    let forbidden = [
        "yew::",
        "web_sys",
        "js_sys",
        "gloo",
        "wasm_bindgen",
        "SystemTime",
        "Instant::now",
        "thread_rng",
        "rand::",
    ];
    // The testkit too: its worlds must replay identically natively and in wasm.
    let mut files = Vec::new();
    rust_files(&project_file("src/engine"), &mut files);
    rust_files(&project_file("src/testkit"), &mut files);
    assert!(files.iter().any(|f| f.ends_with("testkit/world.rs")));
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for word in forbidden {
            assert!(!text.contains(word), "{} mentions {word}", file.display());
        }
    }
}

/// The shell lines of the README's "Quick start" section.
fn quick_start_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(project_file("README.md")).unwrap();
    let section = readme.split("## Quick start").nth(1).expect("a Quick start section");
    let block = section.split("```").nth(1).expect("a code block in Quick start");
    block
        .lines()
        .skip(1) // the info string, e.g. `sh`
        .map(|line| line.split('#').next().unwrap().trim().to_string())
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn readme_quick_start_is_exactly_serve_and_test() {
    assert_eq!(quick_start_commands(), ["cargo xtask serve", "cargo xtask test"]);
}

#[test]
fn ci_runs_the_readme_test_command_and_nothing_else() {
    let script = std::fs::read_to_string(project_file(".ci/run")).unwrap();
    let commands: Vec<&str> = script
        .lines()
        .map(str::trim)
        .filter(|line| {
            !line.is_empty()
                && !line.starts_with('#')
                && !line.starts_with("set ")
                && !line.starts_with("cd ")
        })
        .collect();
    let test_command = quick_start_commands().pop().unwrap();
    assert_eq!(commands, [test_command.as_str()]);
}

/// Values that must have exactly one owner in `src/`, each with the file that owns it. Everything
/// else refers to the owner's constant or function.
const OWNED_LITERALS: &[(&str, &str)] = &[
    // drainPercent's default: engine::DEFAULT_DRAIN_PERCENT.
    ("drain_percent: 25.0", "src/engine/model/daemon.rs"),
    ("unwrap_or(25.0)", "src/engine/model/daemon.rs"),
    ("{ 25.0 }", "src/engine/model/daemon.rs"),
    // The bake-time cap: engine::MAX_BAKE_TIME_MINUTES.
    ("1440", "src/engine/model/daemon.rs"),
    // FNV-1a (prime and offset): support::hash::{fnv1a, FNV_OFFSET}.
    ("01b3", "src/support/hash.rs"),
    ("cbf2", "src/support/hash.rs"),
    // Time units: engine::time::{SECOND, MINUTE, HOUR, DAY}.
    ("60_000", "src/engine/time.rs"),
    ("3_600_000", "src/engine/time.rs"),
    ("86_400", "src/engine/time.rs"),
];

/// `(file, literal)` for every code line (comments aside) of `files` that holds one of
/// [`OWNED_LITERALS`] outside its owner; unit tests (`#[cfg(test)]` modules) may use the values.
fn literals_outside_their_owner(files: &[(String, String)]) -> Vec<(String, &'static str)> {
    let mut found = Vec::new();
    for (path, text) in files {
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for line in code.lines().map(|l| l.trim().to_ascii_lowercase()) {
            if line.starts_with("//") {
                continue;
            }
            for (literal, owner) in OWNED_LITERALS {
                if line.contains(literal) && path != owner {
                    found.push((path.clone(), *literal));
                }
            }
        }
    }
    found
}

#[test]
fn each_default_limit_and_unit_has_one_owner_in_src() {
    let root = project_file("");
    let mut paths = Vec::new();
    for dir in
        ["src/support", "src/engine", "src/api", "src/cli", "src/session", "src/testkit", "src/ui", "src/bin"]
    {
        rust_files(&project_file(dir), &mut paths);
    }
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let relative = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            (relative, std::fs::read_to_string(p).unwrap())
        })
        .collect();
    assert!(files.iter().any(|(p, _)| p == "src/engine/model/daemon.rs"), "{:?}", &files[..3]);
    assert_eq!(literals_outside_their_owner(&files), []);
}

#[test]
fn the_owner_check_catches_a_second_definition() {
    let files = [
        (
            "src/engine/model/daemon.rs".to_string(),
            "pub const MAX_BAKE_TIME_MINUTES: u32 = 1440;".to_string(),
        ),
        ("src/api/x.rs".to_string(), "// 1440 in a comment is fine\nlet cap = 1440;\n".to_string()),
        ("src/bin/y.rs".to_string(), "let ms = minutes * 60_000;\n#[cfg(test)]\nlet t = 60_000;".to_string()),
    ];
    assert_eq!(
        literals_outside_their_owner(&files),
        [("src/api/x.rs".to_string(), "1440"), ("src/bin/y.rs".to_string(), "60_000")]
    );
}

/// The wire text of the statuses the engine keeps. Each lives in its enum's `as_str` (or the
/// `parse` that reads a request); anywhere else in src/engine it would be a status kept as a string.
const STATUS_WORDS: &[&str] = &[
    "ACTIVE",
    "INACTIVE",
    "DRAINING",
    "REGISTERING",
    "REGISTRATION_FAILED",
    "DEREGISTERING",
    "PROVISIONING",
    "PENDING",
    "ACTIVATING",
    "RUNNING",
    "DEACTIVATING",
    "STOPPING",
    "DEPROVISIONING",
    "STOPPED",
    "STOP_REQUESTED",
    "IN_PROGRESS",
    "SUCCESSFUL",
    "FAILED",
    "ROLLBACK_IN_PROGRESS",
    "ROLLBACK_SUCCESSFUL",
    "ROLLBACK_FAILED",
    "HEALTHY",
    "UNHEALTHY",
    "UNKNOWN",
    "OK",
    "IMPAIRED",
    "INITIALIZING",
    "INSUFFICIENT_DATA",
    "ALARM",
    "MONITORING",
    "MONITORING_COMPLETE",
    "TRIGGERED",
    "DISABLED",
    "TERMINATED",
    "DELETE_IN_PROGRESS",
    "DELETED",
];

/// `text` without the bodies of its `fn as_str`, `fn parse…` and `fn from_str`, and without line
/// comments: what is left is the code that must use the enums.
fn outside_status_owners(text: &str) -> String {
    let mut kept = String::new();
    let mut rest = text;
    while let Some(at) = ["fn as_str", "fn parse", "fn from_str"].iter().filter_map(|f| rest.find(f)).min() {
        kept.push_str(&rest[..at]);
        let Some(open) = rest[at..].find('{').map(|i| at + i) else { break };
        let mut depth = 0usize;
        let mut in_string = false;
        let mut end = rest.len();
        let mut chars = rest[open..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                '{' if !in_string => depth += 1,
                '}' if !in_string => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        // Keep the lines the body spanned so that reported line numbers stay true.
        kept.extend(rest[at..end].chars().filter(|&c| c == '\n'));
        rest = &rest[end..];
    }
    kept.push_str(rest);
    kept.lines().map(|line| line.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// (line, word) of every status literal of `text` outside its owners.
fn status_literals(text: &str) -> Vec<(usize, &'static str)> {
    let code = outside_status_owners(text);
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        for word in STATUS_WORDS {
            if line.contains(&format!("\"{word}\"")) {
                found.push((n + 1, *word));
            }
        }
    }
    found
}

#[test]
fn engine_keeps_no_status_as_a_string_outside_the_enums_as_str() {
    let mut files = Vec::new();
    rust_files(&project_file("src/engine"), &mut files);
    assert!(files.len() > 5);
    let mut owners_seen = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        owners_seen += text.matches("fn as_str").count();
        let found = status_literals(&text);
        assert!(
            found.is_empty(),
            "{}: status literals outside as_str/parse (line, word): {found:?}",
            file.display()
        );
    }
    assert!(owners_seen >= 10, "the status enums' as_str were not found ({owners_seen})");
}

#[test]
fn the_status_scanner_reports_a_literal_outside_as_str_and_only_there() {
    let sample = r#"
pub enum Light { On, Off }
impl Light {
    pub const fn as_str(self) -> &'static str {
        match self { Light::On => "ACTIVE", Light::Off => "INACTIVE" }
    }
    pub fn parse(text: &str) -> Option<Self> {
        match text { "ACTIVE" => Some(Light::On), _ => None }
    }
}
fn is_on(status: &str) -> bool {
    // a comment may say "ACTIVE"
    status == "ACTIVE" || status == "RUNNING (UNKNOWN)"
}
"#;
    assert_eq!(status_literals(sample), vec![(13, "ACTIVE")]);
    let owners_only = sample.replace(r#"status == "ACTIVE""#, "status == Light::On.as_str()");
    assert_eq!(status_literals(&owners_only), vec![]);
}

/// The test binaries cargo builds from a listing of `tests/`: each top-level `NAME.rs` and each
/// `NAME/main.rs` (cargo's automatic test targets). `entries` holds `(name, is_dir, has_main)`.
fn test_binaries(entries: &[(String, bool, bool)]) -> Vec<String> {
    let mut names: Vec<String> = entries
        .iter()
        .filter_map(|(name, is_dir, has_main)| match (is_dir, name.strip_suffix(".rs")) {
            (false, Some(stem)) => Some(stem.to_string()),
            (true, _) if *has_main => Some(name.clone()),
            _ => None,
        })
        .collect();
    names.sort();
    names
}

fn tests_listing() -> Vec<(String, bool, bool)> {
    std::fs::read_dir(project_file("tests"))
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, path.is_dir(), path.join("main.rs").is_file())
        })
        .collect()
}

/// Most test binaries link the whole crate, which is most of `cargo test`'s time on 2 cores, so
/// the tests are one binary per layer (engine, api, cli, session, browser) plus the architecture
/// check and the benchmark entry (built natively and for wasm32): at most 10 in all.
#[test]
fn tests_are_one_binary_per_layer_and_at_most_ten() {
    let binaries = test_binaries(&tests_listing());
    assert!(binaries.len() <= 10, "{} test binaries: {binaries:?}", binaries.len());
    assert_eq!(binaries, ["api", "architecture", "browser", "cli", "engine", "perf_wasm", "session"]);
}

#[test]
fn the_binary_count_sees_files_and_main_rs_folders_only() {
    let entry = |name: &str, is_dir: bool, has_main: bool| (name.to_string(), is_dir, has_main);
    let listing = [
        entry("engine", true, true),
        entry("support", true, false),
        entry("architecture.rs", false, false),
        entry("golden", true, false),
        entry("browser_app.rs", false, false),
        entry("README.md", false, false),
    ];
    assert_eq!(test_binaries(&listing), ["architecture", "browser_app", "engine"]);
}
