//! The scenario file: JSON text in, a validated [`Scenario`] out. Every refusal names the field
//! (`log[3].call.action`) and what was expected. Validation is by hand rather than serde derive so
//! that the messages can name the path and the limits.

use super::limits::*;
use super::{Input, LogEntry, RunOptions, Scenario, ScenarioError, ViewSettings};
use super::{SCHEMA_VERSION, SUPPORTED_SCHEMA_VERSIONS};
use crate::api::SERVICES;
use crate::support::json::kind;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

type Fields<'a> = &'a Map<String, Value>;

pub(super) fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    check_size(text.len())?;
    check_depth(text)?;
    let value: Value = serde_json::from_str(text).map_err(|error| {
        ScenarioError::new("SerializationException", format!("The scenario file is not valid JSON: {error}."))
    })?;
    from_value(&value)
}

pub(super) fn check_size(bytes: usize) -> Result<(), ScenarioError> {
    if bytes > MAX_FILE_BYTES {
        return Err(ScenarioError::new(
            "ScenarioTooLargeException",
            format!("The scenario is {bytes} bytes; the largest accepted is {MAX_FILE_BYTES} bytes (5 MB)."),
        ));
    }
    Ok(())
}

/// Refuses nesting deeper than [`MAX_JSON_DEPTH`] before any parser recurses into it.
fn check_depth(text: &str) -> Result<(), ScenarioError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for byte in text.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(ScenarioError::new(
                        "InvalidParameterException",
                        format!("The scenario nests JSON deeper than {MAX_JSON_DEPTH} levels."),
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn value_depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(value_depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(value_depth).max().unwrap_or(0),
        _ => 0,
    }
}

const TOP_FIELDS: &[&str] = &["schemaVersion", "seed", "options", "preset", "script", "knobs", "view", "log"];

pub(super) fn from_value(value: &Value) -> Result<Scenario, ScenarioError> {
    if value_depth(value) > MAX_JSON_DEPTH {
        return Err(ScenarioError::invalid("scenario", format!("nests deeper than {MAX_JSON_DEPTH} levels")));
    }
    let fields = object(value, "scenario")?;
    let version = match fields.get("schemaVersion") {
        None => return Err(ScenarioError::invalid("schemaVersion", "is required")),
        Some(v) => v.as_u64().ok_or_else(|| ScenarioError::invalid("schemaVersion", "must be an integer"))?,
    };
    if !SUPPORTED_SCHEMA_VERSIONS.iter().any(|&s| u64::from(s) == version) {
        let supported: Vec<String> = SUPPORTED_SCHEMA_VERSIONS.iter().map(u32::to_string).collect();
        let why = if version > u64::from(SCHEMA_VERSION) {
            "was written by a newer version of the simulator"
        } else {
            "is not a version this simulator reads"
        };
        return Err(ScenarioError::new(
            "UnsupportedSchemaVersionException",
            format!("schemaVersion {version} {why}; supported versions: {}.", supported.join(", ")),
        ));
    }
    only_fields(fields, "scenario", TOP_FIELDS)?;
    let mut scenario = Scenario::with_seed(0);
    if let Some(seed) = fields.get("seed") {
        scenario.seed = seed.as_u64().ok_or_else(|| {
            ScenarioError::invalid("seed", format!("must be an integer from 0 to {}", u64::MAX))
        })?;
    }
    if let Some(options) = fields.get("options") {
        scenario.options = run_options(options)?;
    }
    scenario.preset = optional_name(fields, "preset", "preset")?;
    if let Some(script) = fields.get("script") {
        scenario.script = Some(script_text(script, "script")?);
    }
    if let Some(knobs) = fields.get("knobs") {
        scenario.knobs = knob_map(knobs)?;
    }
    if let Some(view) = fields.get("view") {
        scenario.view = view_settings(view)?;
    }
    if let Some(log) = fields.get("log") {
        scenario.log = log_entries(log)?;
    }
    Ok(scenario)
}

/// The `log` array alone, as JSON text (the URL's `log` parameter), with the file's checks.
pub(super) fn log_text(text: &str) -> Result<Vec<LogEntry>, ScenarioError> {
    check_size(text.len())?;
    check_depth(text)?;
    let value: Value = serde_json::from_str(text).map_err(|error| {
        ScenarioError::new("SerializationException", format!("the log is not valid JSON: {error}"))
    })?;
    log_entries(&value)
}

fn object<'a>(value: &'a Value, path: &str) -> Result<Fields<'a>, ScenarioError> {
    value
        .as_object()
        .ok_or_else(|| ScenarioError::invalid(path, format!("must be an object, not {}", kind(value))))
}

fn only_fields(fields: Fields, path: &str, known: &[&str]) -> Result<(), ScenarioError> {
    match fields.keys().find(|key| !known.contains(&key.as_str())) {
        Some(key) => Err(ScenarioError::invalid(
            path,
            format!("unknown field {:?}; the fields are {}", clip(key), known.join(", ")),
        )),
        None => Ok(()),
    }
}

/// A string shortened for a message, so that a huge hostile string is not echoed back whole.
pub(super) fn clip(text: &str) -> String {
    const SHOWN: usize = 40;
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Names: services, actions, presets, knobs, sim words.
pub(in crate::session) fn is_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_NAME_BYTES
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn name(value: &Value, path: &str) -> Result<String, ScenarioError> {
    match value.as_str() {
        Some(text) if is_name(text) => Ok(text.to_string()),
        Some(text) => Err(ScenarioError::invalid(
            path,
            format!("{:?} is not a name of 1 to {MAX_NAME_BYTES} characters [A-Za-z0-9._-]", clip(text)),
        )),
        None => Err(ScenarioError::invalid(path, format!("must be a string, not {}", kind(value)))),
    }
}

fn optional_name(fields: Fields, key: &str, path: &str) -> Result<Option<String>, ScenarioError> {
    match fields.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => name(value, path).map(Some),
    }
}

pub(super) fn script_text(value: &Value, path: &str) -> Result<String, ScenarioError> {
    let text = value
        .as_str()
        .ok_or_else(|| ScenarioError::invalid(path, format!("must be a string, not {}", kind(value))))?;
    if text.len() > MAX_SCRIPT_BYTES {
        return Err(ScenarioError::new(
            "LimitExceededException",
            format!("{path}: the script is {} bytes; the longest accepted is {MAX_SCRIPT_BYTES}", text.len()),
        ));
    }
    Ok(text.to_string())
}

pub(super) fn check_account(text: &str) -> Result<(), String> {
    if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("{:?} is not an account id of 12 digits", clip(text)))
    }
}

pub(super) fn check_region(text: &str) -> Result<(), String> {
    if !text.is_empty()
        && text.len() <= 32
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Ok(())
    } else {
        Err(format!("{:?} is not a region name such as us-east-1", clip(text)))
    }
}

pub(super) fn check_epoch(epoch: u64) -> Result<(), String> {
    if epoch <= MAX_EPOCH_MS {
        Ok(())
    } else {
        Err(format!("{epoch} is after 2100-01-01 (the largest accepted is {MAX_EPOCH_MS})"))
    }
}

fn run_options(value: &Value) -> Result<RunOptions, ScenarioError> {
    let fields = object(value, "options")?;
    only_fields(fields, "options", &["accountId", "region", "epochMs"])?;
    let mut options = RunOptions::default();
    let text = |key: &str| -> Result<Option<&str>, ScenarioError> {
        match fields.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(Some)
                .ok_or_else(|| ScenarioError::invalid(&format!("options.{key}"), "must be a string")),
        }
    };
    if let Some(account) = text("accountId")? {
        check_account(account).map_err(|e| ScenarioError::invalid("options.accountId", e))?;
        options.account_id = account.to_string();
    }
    if let Some(region) = text("region")? {
        check_region(region).map_err(|e| ScenarioError::invalid("options.region", e))?;
        options.region = region.to_string();
    }
    if let Some(epoch) = fields.get("epochMs") {
        let epoch = epoch
            .as_u64()
            .ok_or_else(|| ScenarioError::invalid("options.epochMs", "must be a non-negative integer"))?;
        check_epoch(epoch).map_err(|e| ScenarioError::invalid("options.epochMs", e))?;
        options.epoch_ms = epoch;
    }
    Ok(options)
}

/// A knob value in range: finite, and for the well-known knobs their slider's bounds.
pub(in crate::session) fn check_knob(name: &str, value: f64) -> Result<(), String> {
    let (low, high, integer) = match name {
        super::KNOB_INSTANCES => (0.0, 100_000.0, true),
        super::KNOB_DRAIN_PERCENT => (0.0, 100.0, false),
        super::KNOB_BAKE_TIME => (0.0, f64::from(crate::engine::MAX_BAKE_TIME_MINUTES), true),
        _ => (-MAX_KNOB_ABS, MAX_KNOB_ABS, false),
    };
    if !value.is_finite() || value < low || value > high || (integer && value.fract() != 0.0) {
        let what = if integer { "an integer" } else { "a number" };
        return Err(format!("{value} is out of range: {name} must be {what} from {low} to {high}"));
    }
    Ok(())
}

fn knob_map(value: &Value) -> Result<BTreeMap<String, f64>, ScenarioError> {
    let fields = object(value, "knobs")?;
    if fields.len() > MAX_KNOBS {
        return Err(ScenarioError::new(
            "LimitExceededException",
            format!("knobs: {} knobs; the most accepted is {MAX_KNOBS}", fields.len()),
        ));
    }
    let mut knobs = BTreeMap::new();
    for (key, value) in fields {
        let path = format!("knobs.{}", clip(key));
        if !is_name(key) {
            return Err(ScenarioError::invalid(&path, "a knob name is 1 to 256 characters [A-Za-z0-9._-]"));
        }
        let number = value
            .as_f64()
            .ok_or_else(|| ScenarioError::invalid(&path, format!("must be a number, not {}", kind(value))))?;
        check_knob(key, number).map_err(|e| ScenarioError::invalid(&path, e))?;
        knobs.insert(key.clone(), number);
    }
    Ok(knobs)
}

pub(in crate::session) fn check_speed(speed: f64) -> Result<(), String> {
    if (MIN_SPEED..=MAX_SPEED).contains(&speed) {
        Ok(())
    } else {
        Err(format!("{speed} is out of range: speed is from {MIN_SPEED} to {MAX_SPEED}"))
    }
}

fn view_settings(value: &Value) -> Result<ViewSettings, ScenarioError> {
    let fields = object(value, "view")?;
    only_fields(fields, "view", &["speed", "autoplay", "embed", "knob"])?;
    let mut view = ViewSettings::default();
    if let Some(speed) = fields.get("speed") {
        let speed = speed.as_f64().ok_or_else(|| ScenarioError::invalid("view.speed", "must be a number"))?;
        check_speed(speed).map_err(|e| ScenarioError::invalid("view.speed", e))?;
        view.speed = speed;
    }
    for (key, slot) in [("autoplay", &mut view.autoplay), ("embed", &mut view.embed)] {
        if let Some(flag) = fields.get(key) {
            *slot = flag
                .as_bool()
                .ok_or_else(|| ScenarioError::invalid(&format!("view.{key}"), "must be true or false"))?;
        }
    }
    view.knob = optional_name(fields, "knob", "view.knob")?;
    Ok(view)
}

fn log_entries(value: &Value) -> Result<Vec<LogEntry>, ScenarioError> {
    let items = value
        .as_array()
        .ok_or_else(|| ScenarioError::invalid("log", format!("must be an array, not {}", kind(value))))?;
    if items.len() > MAX_LOG_ENTRIES {
        return Err(ScenarioError::new(
            "LimitExceededException",
            format!("log: {} entries; the most accepted is {MAX_LOG_ENTRIES}", items.len()),
        ));
    }
    let mut entries = Vec::with_capacity(items.len());
    let mut last_at = 0;
    for (index, item) in items.iter().enumerate() {
        let entry = log_entry(item, &format!("log[{index}]")).map_err(|e| e.at_entry(index))?;
        if entry.at_ms < last_at {
            return Err(ScenarioError::invalid(
                &format!("log[{index}].atMs"),
                format!(
                    "{} is earlier than the entry before it ({last_at}); entries are in time order",
                    entry.at_ms
                ),
            )
            .at_entry(index));
        }
        last_at = entry.at_ms;
        entries.push(entry);
    }
    Ok(entries)
}

const INPUT_KINDS: &[&str] = &["call", "script", "scriptBegin", "scriptStep", "sim", "advance"];

pub(super) fn log_entry(value: &Value, path: &str) -> Result<LogEntry, ScenarioError> {
    let fields = object(value, path)?;
    let mut known = vec!["atMs"];
    known.extend_from_slice(INPUT_KINDS);
    only_fields(fields, path, &known)?;
    let at_ms = fields
        .get("atMs")
        .ok_or_else(|| ScenarioError::invalid(&format!("{path}.atMs"), "is required"))?
        .as_u64()
        .filter(|&at| at <= MAX_SIMULATED_MS)
        .ok_or_else(|| {
            ScenarioError::invalid(
                &format!("{path}.atMs"),
                format!("must be an integer from 0 to {MAX_SIMULATED_MS} (30 simulated days)"),
            )
        })?;
    let present: Vec<&str> = INPUT_KINDS.iter().copied().filter(|k| fields.contains_key(*k)).collect();
    let [input_kind] = present.as_slice() else {
        return Err(ScenarioError::invalid(
            path,
            format!("needs exactly one of {}, found {}", INPUT_KINDS.join(", "), present.len()),
        ));
    };
    let payload = &fields[*input_kind];
    let sub = format!("{path}.{input_kind}");
    let input = match *input_kind {
        "call" => call(payload, &sub)?,
        "script" => Input::Script(script_text(payload, &sub)?),
        "scriptBegin" => Input::ScriptBegin(script_text(payload, &sub)?),
        "scriptStep" => Input::ScriptStep(
            payload
                .as_u64()
                .filter(|n| (1..=u64::from(MAX_SCRIPT_STEP)).contains(n))
                .map(|n| n as u32)
                .ok_or_else(|| {
                    ScenarioError::invalid(&sub, format!("must be an integer from 1 to {MAX_SCRIPT_STEP}"))
                })?,
        ),
        "sim" => sim_words(payload, &sub)?,
        _ => Input::Advance(payload.as_u64().filter(|ms| (1..=MAX_SIMULATED_MS).contains(ms)).ok_or_else(
            || {
                ScenarioError::invalid(
                    &sub,
                    format!("must be milliseconds, an integer from 1 to {MAX_SIMULATED_MS}"),
                )
            },
        )?),
    };
    Ok(LogEntry { at_ms, input })
}

fn call(value: &Value, path: &str) -> Result<Input, ScenarioError> {
    let fields = object(value, path)?;
    only_fields(fields, path, &["service", "action", "input"])?;
    let service = name(fields.get("service").unwrap_or(&Value::Null), &format!("{path}.service"))?;
    if !SERVICES.contains(&service.as_str()) {
        return Err(ScenarioError::invalid(
            &format!("{path}.service"),
            format!("unknown service {service:?}; the services are {}", SERVICES.join(", ")),
        ));
    }
    let action = name(fields.get("action").unwrap_or(&Value::Null), &format!("{path}.action"))?;
    if !action.bytes().all(|b| b.is_ascii_alphanumeric())
        || !action.starts_with(|c: char| c.is_ascii_uppercase())
    {
        return Err(ScenarioError::invalid(
            &format!("{path}.action"),
            format!("{:?} is not an action name such as CreateDaemon", clip(&action)),
        ));
    }
    let input = fields.get("input").cloned().unwrap_or_else(|| Value::Object(Map::new()));
    if !input.is_object() {
        return Err(ScenarioError::invalid(
            &format!("{path}.input"),
            format!("must be an object, not {}", kind(&input)),
        ));
    }
    let bytes = input.to_string().len();
    if bytes > MAX_CALL_INPUT_BYTES {
        return Err(ScenarioError::new(
            "LimitExceededException",
            format!(
                "{path}.input: the request is {bytes} bytes; the largest accepted is {MAX_CALL_INPUT_BYTES}"
            ),
        ));
    }
    Ok(Input::Call { service, action, input })
}

fn sim_words(value: &Value, path: &str) -> Result<Input, ScenarioError> {
    let items = value.as_array().ok_or_else(|| {
        ScenarioError::invalid(path, "must be an array of words, e.g. [\"fault\", \"clear\"]")
    })?;
    if items.is_empty() || items.len() > MAX_SIM_WORDS {
        return Err(ScenarioError::invalid(path, format!("must have 1 to {MAX_SIM_WORDS} words")));
    }
    let mut words = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let word =
            item.as_str().filter(|w| !w.is_empty() && w.len() <= MAX_NAME_BYTES * 8).ok_or_else(|| {
                ScenarioError::invalid(
                    &format!("{path}[{index}]"),
                    "must be a non-empty string of at most 2048 bytes",
                )
            })?;
        words.push(word.to_string());
    }
    if words[0] == "clock" {
        // Reads the clock only; a log never needs it.
        return Err(ScenarioError::invalid(path, "sim clock changes nothing and is not logged"));
    }
    Ok(Input::Sim(words))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_scan_ignores_brackets_inside_strings() {
        let deep_in_string = format!("{{\"schemaVersion\":1,\"script\":\"{}\"}}", "[".repeat(500));
        assert!(parse(&deep_in_string).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_JSON_DEPTH + 1), "]".repeat(MAX_JSON_DEPTH + 1));
        assert_eq!(parse(&deep).unwrap_err().error_type, "InvalidParameterException");
    }

    #[test]
    fn clip_cuts_on_character_boundaries() {
        let long = "é".repeat(100);
        assert_eq!(clip(&long).chars().count(), 41);
        assert_eq!(clip("short"), "short");
    }

    #[test]
    fn current_version_is_supported() {
        assert!(SUPPORTED_SCHEMA_VERSIONS.contains(&SCHEMA_VERSION));
    }
}
