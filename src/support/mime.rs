//! The `Content-Type` of a file of the built site, by its extension: one table for the two
//! programs that serve `dist/` (`ecs-daemon-sim serve` and the test command's static server).
//! WebAssembly must be `application/wasm` for the browser to compile it while it streams in.

/// The content type of the file at `path` (`application/octet-stream` when the site has no such
/// file kind).
pub fn content_type(path: &std::path::Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
