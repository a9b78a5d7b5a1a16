//! The built playground (Trunk's `dist/`) served beside the account, so that a browser opened on
//! the server's address watches the run the real clients drive. Trunk's output uses absolute URLs,
//! so the site sits at the root: a GET for a file under the directory is answered with it, anything
//! else 404. Read on the request's own thread: files never touch the account.
//!
//! Hand-written rather than a static-file crate: tiny_http has no file server of its own and the
//! whole need is a path check and a dozen content types (a crate such as `mime_guess` would bring a
//! table of thousands for the same eight answers).

use ecs_daemon_sim::support::mime::content_type;
use std::path::{Component, Path, PathBuf};

/// The playground's directory, checked once at start.
#[derive(Debug, Clone)]
pub struct Site {
    root: PathBuf,
}

/// A file of the site: its content type and bytes.
pub struct File {
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Site {
    /// The directory `dir`, or why it cannot be served.
    pub fn open(dir: &Path) -> Result<Site, String> {
        let root = dir.canonicalize().map_err(|e| format!("{}: {e}", dir.display()))?;
        if !root.is_dir() {
            return Err(format!("{} is not a directory", dir.display()));
        }
        if !root.join("index.html").is_file() {
            return Err(format!(
                "{} has no index.html (build it with `cargo xtask serve` or trunk build)",
                dir.display()
            ));
        }
        Ok(Site { root })
    }

    /// The file a URL path names (`/` is `index.html`), or `None`: not found, or a path that
    /// would leave the directory.
    pub fn file(&self, url_path: &str) -> Option<File> {
        let relative = relative_path(url_path)?;
        let path = self.root.join(relative);
        // A symbolic link inside the directory must not lead out of it either.
        let path = path.canonicalize().ok().filter(|p| p.starts_with(&self.root))?;
        let path = if path.is_dir() { path.join("index.html") } else { path };
        let body = std::fs::read(&path).ok()?;
        Some(File { content_type: content_type(&path), body })
    }
}

/// The path below the site's root that a URL path names: plain segments only (no `..`, `.`,
/// backslash, NUL or percent escape: Trunk's file names need none).
fn relative_path(url_path: &str) -> Option<PathBuf> {
    let trimmed = url_path.strip_prefix('/')?;
    if trimmed.contains(['\\', '\0', '%']) {
        return None;
    }
    let relative = if trimmed.is_empty() { PathBuf::from("index.html") } else { PathBuf::from(trimmed) };
    relative.components().all(|c| matches!(c, Component::Normal(_))).then_some(relative)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_below_the_root_are_served() {
        assert_eq!(relative_path("/"), Some(PathBuf::from("index.html")));
        assert_eq!(relative_path("/docs/index.html"), Some(PathBuf::from("docs/index.html")));
        for refused in ["/../secret", "/docs/../../x", "/./index.html", "relative", "/a%2e%2e/b", "/a\\..\\b"]
        {
            assert_eq!(relative_path(refused), None, "{refused}");
        }
        assert_eq!(content_type(Path::new("x/playground_bg.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("index.html")), "text/html; charset=utf-8");
    }
}
