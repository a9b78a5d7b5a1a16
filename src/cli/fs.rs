//! The console session's in-memory file system: what `>`/`>>` redirections and `cat > f <<EOF`
//! write, and what `file://` / `fileb://` arguments and `cat f` read. One per shell session; it
//! never touches the host's disk, so a script behaves the same natively, in the browser and in tests.

use std::collections::BTreeMap;

/// Paths are kept as written after normalising `./` and repeated slashes; there are no directories
/// to create (every parent exists), which is all the tutorial-style scripts need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemFs {
    files: BTreeMap<String, String>,
}

/// Why a file could not be read, as the shell words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FsError {
    /// `No such file or directory`.
    NotFound(String),
}

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FsError::NotFound(path) => write!(f, "{path}: No such file or directory"),
        }
    }
}

impl MemFs {
    /// An empty file system.
    pub fn new() -> Self {
        Self::default()
    }

    /// The file's text.
    pub fn read(&self, path: &str) -> Result<&str, FsError> {
        if is_null_device(path) {
            return Ok("");
        }
        self.files
            .get(&normalise(path))
            .map(String::as_str)
            .ok_or_else(|| FsError::NotFound(path.to_string()))
    }

    /// Replaces the file's text (`>`); writing to `/dev/null` discards.
    pub fn write(&mut self, path: &str, text: &str) {
        if !is_null_device(path) {
            self.files.insert(normalise(path), text.to_string());
        }
    }

    /// Appends to the file (`>>`), creating it when missing.
    pub fn append(&mut self, path: &str, text: &str) {
        if !is_null_device(path) {
            self.files.entry(normalise(path)).or_default().push_str(text);
        }
    }

    /// Whether the file exists (`[ -f f ]`, `[ -e f ]`).
    pub fn exists(&self, path: &str) -> bool {
        is_null_device(path) || self.files.contains_key(&normalise(path))
    }

    /// Removes the file; `false` when there was none.
    pub fn remove(&mut self, path: &str) -> bool {
        self.files.remove(&normalise(path)).is_some()
    }

    /// The files' paths, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

fn is_null_device(path: &str) -> bool {
    path == "/dev/null"
}

fn normalise(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped.trim_start_matches('/');
    }
    let mut last_slash = false;
    for c in rest.chars() {
        if c == '/' && last_slash {
            continue;
        }
        last_slash = c == '/';
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_append_read_and_null_device() {
        let mut fs = MemFs::new();
        fs.write("./td.json", "{");
        fs.append("td.json", "}");
        assert_eq!(fs.read("td.json"), Ok("{}"));
        fs.write("/dev/null", "gone");
        assert_eq!(fs.read("/dev/null"), Ok(""));
        assert_eq!(fs.read("missing"), Err(FsError::NotFound("missing".into())));
    }
}
