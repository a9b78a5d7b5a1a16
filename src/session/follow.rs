//! Following a served account (`ecs-daemon-sim serve`) from another run: the server answers
//! `GET /_sim/scenario?since=K` with its seed, options, clock and the inputs recorded from index K
//! on; a [`Follower`] turns each answer into what to apply ([`Update`]), so that a page replaying
//! them with [`Session::follow`](super::Session::follow) reaches the server's event log at the
//! server's simulated time.
//!
//! Time comes from `elapsedMs`, never from the log: the last entry may be a time advance that is
//! still growing, and a follower that ran ahead of the server would find the next call in its past.
//! Pure: no sockets, no wall clock. The caller fetches, waits and retries ([`Follower::retry_in_ms`]).

use super::scenario::{Input, LogEntry, Scenario, ScenarioError};
use serde_json::Value;

/// The first wait after a failed poll, wall milliseconds; it doubles per failure up to
/// [`MAX_RETRY_MS`].
pub const FIRST_RETRY_MS: u32 = 500;
/// The longest wait between two attempts while the server cannot be reached.
pub const MAX_RETRY_MS: u32 = 8_000;
/// The wait between two polls of a reachable server, wall milliseconds.
pub const POLL_EVERY_MS: u32 = 400;

/// The server's clock in an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerClock {
    /// Simulated ms since the run's epoch.
    pub elapsed_ms: u64,
    /// The event-log hash, 16 hex digits, as `GET /_sim/clock` shows it.
    pub event_log_hash: String,
    /// Whether the server's wall clock is paused (`POST /_sim/pause`).
    pub paused: bool,
    /// Simulated seconds per wall second (0: only `/_sim/advance` moves it).
    pub speed: f64,
}

/// What one answer asks of the following run.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    /// Start over: build a fresh run from `rebuild` (when given: a new seed or options, a restarted
    /// server), apply `entries` at their times, then move the clock to `clock.elapsed_ms`.
    Apply {
        /// The account to build first (seed and options, empty log), when it changed.
        rebuild: Option<Box<Scenario>>,
        /// The calls, `sim` commands and scripts recorded since the last answer (no time advances).
        entries: Vec<LogEntry>,
        /// The server's clock when it answered.
        clock: ServerClock,
    },
    /// The answer was about another account than the one followed (the server adopted a Region,
    /// or restarted): ask again from index 0 at once.
    Refetch,
}

/// The state of following one server: which account and how far into its log.
#[derive(Debug, Clone, Default)]
pub struct Follower {
    since: usize,
    account: Option<Scenario>,
    /// The server's `elapsedMs` in the last answer applied.
    elapsed_ms: u64,
    failures: u32,
}

impl Follower {
    /// A follower that has seen nothing yet.
    pub fn new() -> Follower {
        Follower::default()
    }

    /// The path and query of the next poll.
    pub fn poll_path(&self) -> String {
        format!("/_sim/scenario?since={}", self.since)
    }

    /// Turns the server's answer (the JSON of `GET /_sim/scenario?since=K`) into what to apply,
    /// and moves on past it. A malformed answer is refused and changes nothing.
    pub fn absorb(&mut self, answer: &Value) -> Result<Update, ScenarioError> {
        let account = account_of(answer)?;
        let number = |key: &str| {
            answer[key].as_u64().ok_or_else(|| bad_answer(&format!("`{key}` is not a whole number")))
        };
        let (since, next) = (number("since")? as usize, number("next")? as usize);
        let clock = ServerClock {
            elapsed_ms: number("elapsedMs")?,
            event_log_hash: answer["eventLogHash"]
                .as_str()
                .ok_or_else(|| bad_answer("`eventLogHash` is not a string"))?
                .to_string(),
            paused: answer["paused"].as_bool().unwrap_or(false),
            speed: answer["speed"].as_f64().unwrap_or(0.0),
        };
        let log = answer["log"].as_array().ok_or_else(|| bad_answer("`log` is not an array"))?;
        let mut entries = Vec::new();
        for (index, value) in log.iter().enumerate() {
            let entry = LogEntry::from_value(value, &format!("log[{}]", since + index))?;
            if entry.at_ms > clock.elapsed_ms {
                return Err(bad_answer(&format!("log[{}] is later than elapsedMs", since + index)));
            }
            if !matches!(entry.input, Input::Advance(_)) {
                entries.push(entry);
            }
        }
        let same_account = self.account.as_ref() == Some(&account);
        // A restarted server: its log is shorter than what was followed, or its clock went back.
        let restarted = next < since || clock.elapsed_ms < self.elapsed_ms;
        if restarted || since != 0 && (!same_account || since != self.since) {
            self.restart();
            return Ok(Update::Refetch);
        }
        if next != since + log.len() {
            return Err(bad_answer("`next` is not `since` plus the entries sent"));
        }
        let rebuild = (!same_account || self.since > 0 && since == 0).then(|| Box::new(account.clone()));
        self.account = Some(account);
        self.since = next;
        self.elapsed_ms = clock.elapsed_ms;
        self.failures = 0;
        Ok(Update::Apply { rebuild, entries, clock })
    }

    /// Forgets the account: the next poll asks for everything and rebuilds (after a refusal to
    /// apply, say).
    pub fn restart(&mut self) {
        self.since = 0;
        self.account = None;
        self.elapsed_ms = 0;
    }

    /// Counts a failed poll (no answer, an error status, a malformed answer) and says how long to
    /// wait before the next: [`FIRST_RETRY_MS`], doubling up to [`MAX_RETRY_MS`].
    pub fn retry_in_ms(&mut self) -> u32 {
        self.failures = self.failures.saturating_add(1);
        FIRST_RETRY_MS.saturating_mul(1 << (self.failures - 1).min(8)).min(MAX_RETRY_MS)
    }

    /// Failed polls since the last good answer.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

/// The account an answer describes: its seed and options, validated as a scenario file's.
fn account_of(answer: &Value) -> Result<Scenario, ScenarioError> {
    if !answer.is_object() {
        return Err(bad_answer("it is not a JSON object"));
    }
    let mut value = Scenario::with_seed(0).to_value();
    value["seed"] = answer["seed"].clone();
    value["options"] = answer["options"].clone();
    Scenario::from_value(&value)
}

fn bad_answer(why: &str) -> ScenarioError {
    ScenarioError::new("SerializationException", format!("the server's scenario answer is not usable: {why}"))
}

/// The server a page's query (`?follow=URL`, with or without its `?`) asks to follow: `None`
/// without a `follow` parameter, else [`server_url`]'s answer for its (percent-decoded) value.
pub fn requested(query: &str, page_origin: &str) -> Option<Result<String, String>> {
    use crate::support::query::{has_param, param};
    let value = param(query, "follow").or_else(|| has_param(query, "follow").then_some(""))?;
    Some(match super::scenario::url::percent_decode(value) {
        Ok(value) => server_url(&value, page_origin),
        Err(why) => Err(format!("follow={value:?} is not a server address: {why}")),
    })
}

/// The server a `follow=` parameter names, as a base URL without a trailing `/`: `http://` or
/// `https://` and a host, nothing after a `?` or `#`. Empty means the page's own origin
/// (`page_origin`). The error says what was expected.
pub fn server_url(parameter: &str, page_origin: &str) -> Result<String, String> {
    let text = parameter.trim();
    let text = if text.is_empty() { page_origin } else { text };
    let rest = text.strip_prefix("http://").or_else(|| text.strip_prefix("https://"));
    let host = rest.map(|r| r.split('/').next().unwrap_or(""));
    let plain = !text.contains(|c: char| c.is_whitespace() || c.is_control() || "?#\"'<>\\".contains(c));
    match host {
        Some(host) if plain && !host.is_empty() && !host.contains('@') => Ok(text.trim_end_matches('/').to_string()),
        _ => Err(format!(
            "follow={parameter:?} is not a server address: expected http://HOST:PORT of `ecs-daemon-sim serve`, \
             e.g. ?follow=http://127.0.0.1:4566"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Session;
    use serde_json::json;

    /// What `GET /_sim/scenario?since=K` answers for `leader` (the endpoint's shape).
    fn answer(leader: &Session, since: usize) -> Value {
        let scenario = leader.scenario();
        json!({
            "nowMs": leader.now_ms(), "elapsedMs": leader.simulation().elapsed(),
            "eventLogHash": format!("{:016x}", leader.event_log_hash()), "paused": false, "speed": 0.0,
            "seed": scenario.seed, "options": scenario.options.to_value(), "since": since,
            "next": scenario.log.len(), "log": crate::session::scenario::log_value(&scenario.log[since..]),
        })
    }

    /// Applies an update as a page does.
    fn apply(follower: &mut Session, update: Update) -> ServerClock {
        let Update::Apply { rebuild, entries, clock } = update else { panic!("expected entries") };
        if let Some(scenario) = rebuild {
            *follower = Session::new(*scenario).unwrap();
        }
        for entry in &entries {
            follower.follow(entry).unwrap();
        }
        follower.advance_by(clock.elapsed_ms - follower.simulation().elapsed());
        clock
    }

    #[test]
    fn a_follower_polling_a_growing_log_reaches_the_leaders_hash_at_the_leaders_time() {
        let mut leader = Session::with_seed(11);
        let mut follower = Session::with_seed(0);
        let mut following = Follower::new();
        assert_eq!(following.poll_path(), "/_sim/scenario?since=0");
        leader.advance_by(2_000);
        leader.call("ecs", "CreateCluster", &json!({"clusterName": "demo"})).unwrap();
        leader.advance_by(500);
        let first = following.absorb(&answer(&leader, 0)).unwrap();
        let Update::Apply { rebuild, entries, .. } = &first else { panic!() };
        assert_eq!(rebuild.as_ref().map(|s| s.seed), Some(11), "the server's seed");
        assert_eq!(entries.len(), 1, "the call; the advances are the clock's");
        apply(&mut follower, first);
        assert_eq!(following.poll_path(), "/_sim/scenario?since=3");
        // The leader's last advance grows (one entry), then a sim command and more time.
        leader.advance_by(700);
        leader.sim(&["fault".into(), "clear".into()]).unwrap();
        leader.advance_by(90_000);
        let clock = apply(&mut follower, following.absorb(&answer(&leader, 3)).unwrap());
        assert_eq!(clock.elapsed_ms, 93_200);
        assert_eq!(follower.simulation().elapsed(), leader.simulation().elapsed());
        assert_eq!(format!("{:016x}", follower.event_log_hash()), clock.event_log_hash);
        let Update::Apply { rebuild, entries, .. } = following.absorb(&answer(&leader, 5)).unwrap() else {
            panic!()
        };
        assert!(rebuild.is_none() && entries.is_empty(), "nothing new");
    }

    #[test]
    fn another_account_or_a_restarted_server_starts_over_from_index_0() {
        let mut leader = Session::with_seed(3);
        leader.call("ecs", "CreateCluster", &json!({"clusterName": "a"})).unwrap();
        leader.call("ecs", "CreateCluster", &json!({"clusterName": "b"})).unwrap();
        let mut following = Follower::new();
        following.absorb(&answer(&leader, 0)).unwrap();
        // The server restarted with another seed: an answer from index 2 is not about our account.
        let restarted = Session::with_seed(4);
        let mut late = answer(&restarted, 0);
        late["since"] = 2.into();
        late["next"] = 2.into();
        assert_eq!(following.absorb(&late).unwrap(), Update::Refetch);
        assert_eq!(following.poll_path(), "/_sim/scenario?since=0");
        let Update::Apply { rebuild, .. } = following.absorb(&answer(&restarted, 0)).unwrap() else {
            panic!()
        };
        assert_eq!(rebuild.map(|s| s.seed), Some(4));
    }

    #[test]
    fn malformed_answers_are_refused_and_change_nothing() {
        let leader = Session::with_seed(3);
        let mut following = Follower::new();
        let good = answer(&leader, 0);
        let mut cases = vec![json!([1]), json!("text")];
        for (key, bad) in [
            ("seed", json!("x")),
            ("options", json!({"region": "nowhere 1"})),
            ("since", json!(-1)),
            ("elapsedMs", Value::Null),
            ("eventLogHash", json!(5)),
            ("log", json!({})),
            ("log", json!([{"atMs": 0, "warp": 1}])),
            ("next", json!(9)),
        ] {
            let mut case = good.clone();
            case[key] = bad;
            cases.push(case);
        }
        let mut late = good.clone();
        late["log"] = json!([{"atMs": 99_000, "sim": ["fault", "clear"]}]);
        late["next"] = 1.into();
        cases.push(late);
        for case in cases {
            assert!(following.absorb(&case).is_err(), "{case}");
            assert_eq!(following.poll_path(), "/_sim/scenario?since=0");
        }
    }

    #[test]
    fn failed_polls_back_off_doubling_to_a_ceiling_and_a_good_answer_resets_it() {
        let mut following = Follower::new();
        let waits: Vec<u32> = (0..7).map(|_| following.retry_in_ms()).collect();
        assert_eq!(waits, [500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
        assert_eq!(following.failures(), 7);
        following.absorb(&answer(&Session::with_seed(1), 0)).unwrap();
        assert_eq!((following.failures(), following.retry_in_ms()), (0, 500));
    }

    #[test]
    fn the_page_query_names_the_server_to_follow() {
        let page = "http://127.0.0.1:4566";
        assert_eq!(requested("?seed=3", page), None);
        assert_eq!(requested("?follow=http://127.0.0.1:9/", page), Some(Ok("http://127.0.0.1:9".into())));
        assert_eq!(requested("follow=http%3A%2F%2Fhost%3A1", page), Some(Ok("http://host:1".into())));
        assert_eq!(requested("?a=1&follow", page), Some(Ok(page.into())));
        assert!(requested("?follow=%zz", page).unwrap().unwrap_err().contains("not a server address"));
    }

    #[test]
    fn a_follow_parameter_must_name_an_http_server() {
        let page = "http://127.0.0.1:4566";
        assert_eq!(server_url("", page).as_deref(), Ok(page), "empty: the page's own server");
        assert_eq!(server_url("http://localhost:9000/", page).as_deref(), Ok("http://localhost:9000"));
        assert_eq!(server_url("https://sim.example/team", page).as_deref(), Ok("https://sim.example/team"));
        for bad in [
            "localhost:9000",
            "ftp://x",
            "http://",
            "javascript:alert(1)",
            "http://a b",
            "http://u@evil",
            "http://x/?y",
        ] {
            let error = server_url(bad, page).unwrap_err();
            assert!(error.contains("expected http://HOST:PORT"), "{bad}: {error}");
        }
    }
}
