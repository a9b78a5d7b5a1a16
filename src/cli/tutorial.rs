//! Seed 002's tutorial as a runnable script, for the console to preload and the tests to run.
//!
//! The text lives in `tests/fixtures/tutorial.sh` (placeholders filled in, scraping artefacts
//! undone; its header says exactly what differs from the published page), so that the tests and
//! the playground run the very same script.

/// The tutorial script.
pub const TUTORIAL_SCRIPT: &str = include_str!("../../tests/fixtures/tutorial.sh");
