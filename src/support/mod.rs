//! The small helpers every layer may use, importing nothing of the crate: the lowest layer.
//!
//! - `order`: a stable sort compiled once for all element types (small wasm);
//! - [`decimal`]: decimal text to `f64` with std's grammar (the browser's `parseFloat` for the value);
//! - `json`: `json!` for response bodies, with less code per member than serde_json's, and the
//!   name of a JSON value's kind for refusals;
//! - [`hash`]: FNV-1a, the crate's one hash;
//! - [`mime`]: the content type of a file of the built site, for the programs that serve it;
//! - [`query`]: a URL query string's parameters;
//! - `Boxed`: the map value type that keeps one B-tree layout for small record maps.

pub mod decimal;
pub mod hash;
pub(crate) mod json;
pub mod mime;
pub(crate) mod order;
pub mod query;

/// A map value kept behind a pointer. Every `BTreeMap<String, Boxed<_>>` has the same node layout,
/// so the B-tree code (search, insert, split, merge, remove) is compiled once for all of them
/// instead of once per value type, which cost the wasm bundle about 4 KB per map type (release
/// wasm size). Only for maps of a few records that are not on a hot path.
pub(crate) type Boxed<T> = Box<T>;
