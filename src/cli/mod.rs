//! The AWS-CLI script interpreter: a shell subset, `--query`, `--output`.
