//! Rules of the project's shape that a reader would otherwise have to trust: the engine stays pure,
//! the README's quick start is the two commands, and CI runs the README's test command.

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
