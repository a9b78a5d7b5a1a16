//! Rules of the project's shape that a reader would otherwise have to trust: the engine stays pure,
//! the README's quick start is the two commands, CI runs the README's test command, and each
//! default, limit and time unit of the engine, the API and the programs has one owner.

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

#[test]
fn engine_imports_no_browser_crate_no_wall_clock_and_no_global_rng() {
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
    let mut files = Vec::new();
    rust_files(&project_file("src/engine"), &mut files);
    assert!(!files.is_empty());
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

/// Values that must have exactly one owner in the engine, the API and the programs, each with the
/// file that owns it. Everything else refers to the owner's constant or function. (The playground
/// and the CLI are being reshaped separately and are not checked here yet.)
const OWNED_LITERALS: &[(&str, &str)] = &[
    // drainPercent's default: engine::DEFAULT_DRAIN_PERCENT.
    ("drain_percent: 25.0", "src/engine/model.rs"),
    ("unwrap_or(25.0)", "src/engine/model.rs"),
    ("{ 25.0 }", "src/engine/model.rs"),
    // The bake-time cap: engine::MAX_BAKE_TIME_MINUTES.
    ("1440", "src/engine/model.rs"),
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
fn each_default_limit_and_unit_has_one_owner_in_engine_api_and_programs() {
    let root = project_file("");
    let mut paths = Vec::new();
    for dir in ["src/support", "src/engine", "src/api", "src/bin"] {
        rust_files(&project_file(dir), &mut paths);
    }
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let relative = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            (relative, std::fs::read_to_string(p).unwrap())
        })
        .collect();
    assert!(files.iter().any(|(p, _)| p == "src/engine/model.rs"), "{:?}", &files[..3]);
    assert_eq!(literals_outside_their_owner(&files), []);
}

#[test]
fn the_owner_check_catches_a_second_definition() {
    let files = [
        ("src/engine/model.rs".to_string(), "pub const MAX_BAKE_TIME_MINUTES: u32 = 1440;".to_string()),
        ("src/api/x.rs".to_string(), "// 1440 in a comment is fine\nlet cap = 1440;\n".to_string()),
        ("src/bin/y.rs".to_string(), "let ms = minutes * 60_000;\n#[cfg(test)]\nlet t = 60_000;".to_string()),
    ];
    assert_eq!(
        literals_outside_their_owner(&files),
        [("src/api/x.rs".to_string(), "1440"), ("src/bin/y.rs".to_string(), "60_000")]
    );
}
