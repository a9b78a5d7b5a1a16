//! Seed 002's tutorial as a runnable script, for the console to preload and the tests to run.
//!
//! The text lives in `tests/fixtures/tutorial.sh` (the published commands with example subnet,
//! security group and account IDs, and the two lines the page leaves to the reader: the wait
//! after creating the service, and where the deployment's ARN comes from), so that the tests and
//! the playground run the very same script. The console runs it in a world of its own and stops
//! before [`CLEANUP_MARKER`], so the reader can look at the result before it is torn down.

/// The tutorial script.
pub const TUTORIAL_SCRIPT: &str = include_str!("../../tests/fixtures/tutorial.sh");

/// The comment that starts the tutorial's cleanup section.
pub const CLEANUP_MARKER: &str = "# Cleanup";

/// The tutorial up to its cleanup section, and the cleanup section (empty if the marker is gone).
pub fn sections() -> (&'static str, &'static str) {
    match TUTORIAL_SCRIPT.find(CLEANUP_MARKER) {
        Some(at) => TUTORIAL_SCRIPT.split_at(at),
        None => (TUTORIAL_SCRIPT, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sections_are_the_whole_script_split_before_the_cleanup() {
        let (lesson, cleanup) = sections();
        assert!(cleanup.starts_with(CLEANUP_MARKER));
        assert_eq!(format!("{lesson}{cleanup}"), TUTORIAL_SCRIPT);
        assert!(lesson.contains("aws ecs create-daemon") && !lesson.contains("aws ecs delete-daemon"));
    }
}
