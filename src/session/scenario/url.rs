//! A scenario as URL query parameters, for the "Share" link and embeds.
//!
//! | parameter | meaning | example |
//! |---|---|---|
//! | `v` | schema version | `v=1` |
//! | `seed` | the run's seed | `seed=7` |
//! | `preset` | the viewer's preset | `preset=rolling-update` |
//! | `instances`, `drainPercent`, `bakeTime` | the well-known knobs | `drainPercent=50` |
//! | `knob.NAME` | any other knob | `knob.daemonCpu=512` |
//! | `speed` | simulated seconds per wall second, 1–1000 | `speed=60` |
//! | `autoplay`, `embed` | `1`/`0` (`true`/`false`; a bare name means on) | `embed=1` |
//! | `knob` | the one knob an embed shows | `knob=drainPercent` |
//! | `account`, `region`, `epoch` | the account options, when not the defaults | `region=eu-west-1` |
//! | `script` | the setup script, base64url of its UTF-8 text | |
//! | `log` | the input log, base64url of its JSON array (the file format's `log`) | |
//!
//! Decoding never fails: each unknown, repeated or malformed parameter adds a [`UrlWarning`]
//! naming it and saying what was wrong, and that setting keeps its default.

use super::format::{self, clip};
use super::{base64url, Scenario, KNOB_BAKE_TIME, KNOB_DRAIN_PERCENT, KNOB_INSTANCES};
use super::{RunOptions, ViewSettings, SCHEMA_VERSION, SUPPORTED_SCHEMA_VERSIONS};
use crate::support::decimal::parse_f64;
use serde_json::Value;
use std::fmt;

/// Longest query string decoded (a 5 MB log in base64url, percent-encoded, fits).
pub const MAX_QUERY_BYTES: usize = 8 * 1024 * 1024;

/// A parameter that was not used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlWarning {
    /// The query parameter's name.
    pub parameter: String,
    /// Why its value was not used.
    pub message: String,
}

impl fmt::Display for UrlWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "URL parameter {}: {}", self.parameter, self.message)
    }
}

/// The scenario a URL describes, and what in it was ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlDecoded {
    /// The scenario, with defaults where a parameter was absent or ignored.
    pub scenario: Scenario,
    /// One warning per parameter that was ignored.
    pub warnings: Vec<UrlWarning>,
}

const WELL_KNOWN_KNOBS: [&str; 3] = [KNOB_INSTANCES, KNOB_DRAIN_PERCENT, KNOB_BAKE_TIME];

fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub(in crate::session) fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok()).ok_or_else(|| {
                    format!("a % at position {i} is not followed by two hexadecimal digits")
                })?;
                out.push(byte);
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "the value is not UTF-8 text once percent-decoded".to_string())
}

/// The query string (no leading `?`) that [`decode`] turns back into `scenario`.
pub fn encode(scenario: &Scenario) -> String {
    let mut params: Vec<(String, String)> =
        vec![("v".into(), SCHEMA_VERSION.to_string()), ("seed".into(), scenario.seed.to_string())];
    if let Some(preset) = &scenario.preset {
        params.push(("preset".into(), preset.clone()));
    }
    for name in WELL_KNOWN_KNOBS {
        if let Some(value) = scenario.knob(name) {
            params.push((name.into(), number(value)));
        }
    }
    for (name, value) in &scenario.knobs {
        if !WELL_KNOWN_KNOBS.contains(&name.as_str()) {
            params.push((format!("knob.{name}"), number(*value)));
        }
    }
    let view = &scenario.view;
    let defaults = ViewSettings::default();
    if view.speed != defaults.speed {
        params.push(("speed".into(), number(view.speed)));
    }
    if view.autoplay {
        params.push(("autoplay".into(), "1".into()));
    }
    if view.embed {
        params.push(("embed".into(), "1".into()));
    }
    if let Some(knob) = &view.knob {
        params.push(("knob".into(), knob.clone()));
    }
    let options = RunOptions::default();
    if scenario.options.account_id != options.account_id {
        params.push(("account".into(), scenario.options.account_id.clone()));
    }
    if scenario.options.region != options.region {
        params.push(("region".into(), scenario.options.region.clone()));
    }
    if scenario.options.epoch_ms != options.epoch_ms {
        params.push(("epoch".into(), scenario.options.epoch_ms.to_string()));
    }
    if let Some(script) = &scenario.script {
        params.push(("script".into(), base64url::encode(script.as_bytes())));
    }
    if !scenario.log.is_empty() {
        let json = super::log_value(&scenario.log).to_string();
        params.push(("log".into(), base64url::encode(json.as_bytes())));
    }
    params
        .iter()
        .map(|(key, value)| format!("{}={}", percent_encode(key), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Reads a query string (or a whole URL: what follows `?`, up to any `#`). Never fails: see the
/// module documentation.
pub fn decode(url: &str) -> UrlDecoded {
    let mut decoder = Decoder { scenario: Scenario::with_seed(0), warnings: Vec::new(), seen: Vec::new() };
    if url.len() > MAX_QUERY_BYTES {
        decoder.warn(
            "(query)",
            format!("the URL is {} bytes; the longest read is {MAX_QUERY_BYTES}", url.len()),
        );
        return decoder.finish();
    }
    let query = url.split_once('?').map_or(url, |(_, q)| q);
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    let mut pairs = Vec::new();
    for raw in query.split('&').filter(|pair| !pair.is_empty()) {
        let (raw_key, raw_value) = raw.split_once('=').unwrap_or((raw, ""));
        let key = match percent_decode(raw_key) {
            Ok(key) => key,
            Err(why) => {
                decoder.warn(raw_key, format!("the name is malformed: {why}; ignored"));
                continue;
            }
        };
        match percent_decode(raw_value) {
            Ok(value) => pairs.push((key, value, raw.contains('='))),
            Err(why) => decoder.warn(&key, format!("{why}; ignored")),
        }
    }
    // The version first: a log written by a newer schema is not read as this one.
    let mut log_readable = true;
    if let Some((_, value, _)) = pairs.iter().find(|(key, _, _)| key == "v") {
        match value.parse::<u32>() {
            Ok(v) if SUPPORTED_SCHEMA_VERSIONS.contains(&v) => {}
            _ => {
                log_readable = false;
                let supported: Vec<String> = SUPPORTED_SCHEMA_VERSIONS.iter().map(u32::to_string).collect();
                decoder.warn(
                    "v",
                    format!(
                        "version {:?} is not one this simulator reads (supported: {}); the log is ignored",
                        clip(value),
                        supported.join(", ")
                    ),
                );
            }
        }
    }
    for (key, value, has_value) in pairs {
        decoder.param(&key, &value, has_value, log_readable);
    }
    decoder.finish()
}

struct Decoder {
    scenario: Scenario,
    warnings: Vec<UrlWarning>,
    seen: Vec<String>,
}

impl Decoder {
    fn warn(&mut self, parameter: &str, message: impl Into<String>) {
        self.warnings.push(UrlWarning { parameter: clip(parameter), message: message.into() });
    }

    fn finish(self) -> UrlDecoded {
        UrlDecoded { scenario: self.scenario, warnings: self.warnings }
    }

    fn param(&mut self, key: &str, value: &str, has_value: bool, log_readable: bool) {
        if self.seen.iter().any(|k| k == key) {
            self.warn(key, "given more than once; the first value is used");
            return;
        }
        self.seen.push(key.to_string());
        let result = match key {
            "v" => Ok(()),
            "seed" => value.parse::<u64>().map(|seed| self.scenario.seed = seed).map_err(|_| {
                format!("{:?} is not a whole number from 0 to {}; seed 0 is used", clip(value), u64::MAX)
            }),
            "preset" => {
                if format::is_name(value) {
                    self.scenario.preset = Some(value.to_string());
                    Ok(())
                } else {
                    Err(format!("{:?} is not a preset name; no preset is used", clip(value)))
                }
            }
            "speed" => parse_f64(value)
                .ok_or_else(|| format!("{:?} is not a number", clip(value)))
                .and_then(|speed| format::check_speed(speed).map(|()| speed))
                .map(|speed| self.scenario.view.speed = speed)
                .map_err(|why| format!("{why}; the default speed is used")),
            "autoplay" | "embed" => match (has_value, value) {
                (false, _) | (true, "1" | "true") => {
                    self.flag(key, true);
                    Ok(())
                }
                (true, "0" | "false") => {
                    self.flag(key, false);
                    Ok(())
                }
                _ => Err(format!("{:?} is not 1, 0, true or false; off is used", clip(value))),
            },
            "knob" => {
                if format::is_name(value) {
                    self.scenario.view.knob = Some(value.to_string());
                    Ok(())
                } else {
                    Err(format!("{:?} is not a knob name; no knob is shown", clip(value)))
                }
            }
            "account" => format::check_account(value)
                .map(|()| self.scenario.options.account_id = value.to_string())
                .map_err(|why| format!("{why}; the default account is used")),
            "region" => format::check_region(value)
                .map(|()| self.scenario.options.region = value.to_string())
                .map_err(|why| format!("{why}; the default region is used")),
            "epoch" => value
                .parse::<u64>()
                .map_err(|_| format!("{:?} is not epoch milliseconds", clip(value)))
                .and_then(|epoch| format::check_epoch(epoch).map(|()| epoch))
                .map(|epoch| self.scenario.options.epoch_ms = epoch)
                .map_err(|why| format!("{why}; the default epoch is used")),
            "script" => base64_text(value)
                .and_then(|text| format::script_text(&Value::String(text), "script").map_err(|e| e.message))
                .map(|text| self.scenario.script = Some(text))
                .map_err(|why| format!("{why}; no script is used")),
            "log" if !log_readable => Ok(()),
            "log" => base64_text(value)
                .and_then(|text| format::log_text(&text).map_err(|e| e.message))
                .map(|log| self.scenario.log = log)
                .map_err(|why| format!("{why}; the run starts with an empty log")),
            _ => {
                let knob =
                    if WELL_KNOWN_KNOBS.contains(&key) { Some(key) } else { key.strip_prefix("knob.") };
                match knob {
                    Some(_) if self.scenario.knobs.len() >= super::limits::MAX_KNOBS => {
                        Err(format!("more than {} knobs; ignored", super::limits::MAX_KNOBS))
                    }
                    Some(name) if format::is_name(name) => parse_f64(value)
                        .ok_or_else(|| format!("{:?} is not a number", clip(value)))
                        .and_then(|number| format::check_knob(name, number).map(|()| number))
                        .map(|number| {
                            self.scenario.knobs.insert(name.to_string(), number);
                        })
                        .map_err(|why| format!("{why}; the preset's value is used")),
                    _ => Err("unknown parameter; ignored".to_string()),
                }
            }
        };
        if let Err(message) = result {
            self.warn(key, message);
        }
    }

    fn flag(&mut self, key: &str, on: bool) {
        if key == "autoplay" {
            self.scenario.view.autoplay = on;
        } else {
            self.scenario.view.embed = on;
        }
    }
}

fn base64_text(value: &str) -> Result<String, String> {
    let bytes = base64url::decode(value).map_err(|why| format!("not base64url: {why}"))?;
    String::from_utf8(bytes).map_err(|_| "the decoded bytes are not UTF-8 text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_codec_round_trips_any_text() {
        for text in ["", "a b&c=d", "é€🎉", "%zz", "+"] {
            assert_eq!(percent_decode(&percent_encode(text)).unwrap(), text);
        }
        assert_eq!(percent_decode("a+b%20c").unwrap(), "a b c");
        assert!(percent_decode("%4").is_err());
        assert!(percent_decode("%ff").is_err());
    }

    #[test]
    fn numbers_print_without_a_needless_fraction() {
        assert_eq!(number(50.0), "50");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(-3.0), "-3");
    }
}
