//! Installs the toolchain on demand, idempotently, and says nothing when everything is present.
//!
//! Versions and traps are those of `shared/toolchain-facts.md`: Trunk 0.21.14 (0.22 needs a newer
//! rustc), wasm-bindgen-cli at exactly the Cargo.lock version of wasm-bindgen and without `--locked`,
//! wasm-opt from npm's binaryen 132 (older binaryens cannot read rustc 1.95 output).

use std::path::{Path, PathBuf};
use std::process::Command;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const CARGO_FUZZ_VERSION: &str = "0.13.2";
pub const WASM_OPT_VERSION: &str = "version 132";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Where the paths of the installed tools are, once [`ensure`] has run.
pub struct Toolchain {
    /// Folders to put in front of PATH so that Trunk finds the versions it is configured for.
    pub path_dirs: Vec<PathBuf>,
    /// The Python of the virtual environment holding the pinned AWS CLI and boto3 (tests only).
    pub clients_python: Option<PathBuf>,
}

impl Toolchain {
    /// PATH with the project's tools first.
    pub fn path_env(&self) -> String {
        let mut dirs: Vec<PathBuf> = self.path_dirs.clone();
        dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
        std::env::join_paths(dirs)
            .expect("tool folders contain no path separator")
            .to_string_lossy()
            .into_owned()
    }
}

/// What a command needs: the browser and the fuzzer are only for tests.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Build,
    BuildAndBrowser,
}

pub fn ensure(root: &Path, need: Need) -> Result<Toolchain, String> {
    ensure_wasm_target()?;
    let tools = tools_root();
    let trunk = ensure_cargo_tool(&tools, "trunk", TRUNK_VERSION, "trunk", &["--locked", "--debug"])?;
    let bindgen_version = locked_version(root, "wasm-bindgen")?;
    // `--locked` fails for wasm-bindgen-cli: its lockfile pins a crate version crates.io no longer serves.
    let bindgen = ensure_cargo_tool(&tools, "wasm-bindgen-cli", &bindgen_version, "wasm-bindgen", &[])?;
    let node_bin = ensure_npm_packages(root)?;
    if need == Need::BuildAndBrowser {
        ensure_chromium()?;
    }
    let mut path_dirs = vec![trunk, bindgen, node_bin];
    let mut clients_python = None;
    if need == Need::BuildAndBrowser {
        let clients = ensure_aws_clients(root, &tools)?;
        clients_python = Some(clients.join("python"));
        path_dirs.push(clients);
        path_dirs.push(ensure_cargo_tool(
            &tools,
            "cargo-fuzz",
            CARGO_FUZZ_VERSION,
            "cargo-fuzz",
            &["--locked"],
        )?);
    }
    Ok(Toolchain { path_dirs, clients_python })
}

/// `$ECS_SIM_TOOLS`, else a cache folder in the home directory: outside the clone, so a fresh clone
/// (and CI on the same machine) reuses what an earlier run compiled.
fn tools_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("ECS_SIM_TOOLS") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join(".cache/ecs-daemon-sim/tools")
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = capture("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    announce("adding the wasm32-unknown-unknown target");
    run_quiet(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// `bin` from `krate` at `version`, installed with `cargo install` into its own folder unless that
/// folder already holds a binary answering `--version` with this version. Returns the bin folder.
fn ensure_cargo_tool(
    tools: &Path,
    krate: &str,
    version: &str,
    bin: &str,
    extra: &[&str],
) -> Result<PathBuf, String> {
    let root = tools.join(format!("{krate}-{version}"));
    let bin_dir = root.join("bin");
    if reports_version(&bin_dir.join(bin), version) {
        return Ok(bin_dir);
    }
    announce(&format!("installing {krate} {version} from crates.io (once; a few minutes)"));
    let mut install = Command::new("cargo");
    install.args(["install", krate, "--version", version, "--root"]).arg(&root).args(extra);
    // A faster compile of a tool that is as fast in use (toolchain-facts: 9 m → 5 m for Trunk).
    install.env("CARGO_PROFILE_RELEASE_LTO", "false").env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    run_quiet(&mut install)?;
    if reports_version(&bin_dir.join(bin), version) {
        Ok(bin_dir)
    } else {
        Err(format!("{bin} was installed into {} but does not report version {version}", bin_dir.display()))
    }
}

fn reports_version(binary: &Path, version: &str) -> bool {
    binary.exists()
        && capture(binary.to_str().unwrap_or_default(), &["--version"]).is_some_and(|v| v.contains(version))
}

/// The version Cargo.lock pins for `package`: wasm-bindgen-cli must match it exactly.
pub fn locked_version(root: &Path, package: &str) -> Result<String, String> {
    let lock =
        std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == name_line {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_string());
            }
        }
    }
    Err(format!("Cargo.lock has no package {package}"))
}

/// playwright-core and binaryen (wasm-opt) into the git-ignored www/e2e/node_modules, from the
/// committed lockfile. Returns node_modules/.bin.
fn ensure_npm_packages(root: &Path) -> Result<PathBuf, String> {
    let e2e = root.join("www/e2e");
    let bin = e2e.join("node_modules/.bin");
    let stamp = e2e.join("node_modules/.package-lock.json");
    let up_to_date =
        modified(&stamp).zip(modified(&e2e.join("package-lock.json"))).is_some_and(|(s, l)| s >= l);
    if up_to_date && reports_version(&bin.join("wasm-opt"), WASM_OPT_VERSION) {
        return Ok(bin);
    }
    if capture("npm", &["--version"]).is_none() {
        if !is_root() {
            return Err(
                "npm is missing: install Node.js 18 or newer (e.g. `sudo apt-get install nodejs npm`)".into(),
            );
        }
        apt_install(&["nodejs", "npm"])?;
    }
    announce("installing playwright-core and binaryen (wasm-opt) from npm");
    run_quiet(
        Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&e2e),
    )?;
    if reports_version(&bin.join("wasm-opt"), WASM_OPT_VERSION) {
        Ok(bin)
    } else {
        Err(format!("wasm-opt in {} does not report {WASM_OPT_VERSION}", bin.display()))
    }
}

/// The pinned AWS CLI and boto3 (tests/clients/requirements.txt) in a virtual environment of
/// their own, named by a hash of that file so that a changed pin gets a fresh one. Returns its
/// bin folder, which puts `aws` and that environment's `python` first on PATH.
fn ensure_aws_clients(root: &Path, tools: &Path) -> Result<PathBuf, String> {
    let requirements = root.join("tests/clients/requirements.txt");
    let pins =
        std::fs::read(&requirements).map_err(|e| format!("reading {}: {e}", requirements.display()))?;
    let hash = ecs_daemon_sim::support::hash::fnv1a(ecs_daemon_sim::support::hash::FNV_OFFSET, &pins);
    let venv = tools.join(format!("aws-clients-{:012x}", hash >> 16));
    let bin = venv.join("bin");
    let stamp = venv.join("installed");
    if stamp.exists() && bin.join("aws").exists() {
        return Ok(bin);
    }
    if capture("python3", &["-m", "venv", "--help"]).is_none()
        || capture("python3", &["-m", "ensurepip", "--version"]).is_none()
    {
        if !is_root() {
            return Err(
                "the AWS client tests need Python 3 with venv: sudo apt-get install python3-venv".into()
            );
        }
        apt_install(&["python3", "python3-venv"])?;
    }
    announce("installing the AWS CLI and boto3 from PyPI into a virtual environment (once)");
    let _ = std::fs::remove_dir_all(&venv);
    run_quiet(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run_quiet(
        Command::new(bin.join("python"))
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input", "-r"])
            .arg(&requirements),
    )?;
    std::fs::write(&stamp, &pins).map_err(|e| format!("writing {}: {e}", stamp.display()))?;
    Ok(bin)
}

fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    if !is_root() {
        return Err(format!(
            "headless tests need Debian's Chromium at {CHROMIUM} and {CHROMEDRIVER}; as root this command installs \
             them, otherwise run: sudo apt-get install chromium chromium-driver"
        ));
    }
    apt_install(&["chromium", "chromium-driver"])
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    announce(&format!("installing {} with apt-get", packages.join(" ")));
    run_quiet(Command::new("apt-get").args(["update", "-qq"]))?;
    run_quiet(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn is_root() -> bool {
    capture("id", &["-u"]).is_some_and(|uid| uid.trim() == "0")
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn announce(what: &str) {
    eprintln!("==> {what}");
}

/// Stdout of a command that succeeded, or None.
fn capture(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Runs an installer with its output hidden unless it fails, so a healthy run stays quiet.
fn run_quiet(command: &mut Command) -> Result<(), String> {
    let output = command.output().map_err(|e| format!("cannot start {command:?}: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(30).collect();
    Err(format!(
        "{command:?} failed ({}):\n{}",
        output.status,
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    ))
}
