//! GNU `getopt_long` as the coreutils parse their command lines: short options cluster (`-nr`),
//! a value may be attached (`-n5`, `-d,`) or the next word, long options take `=value` or the
//! next word and may be abbreviated, options and operands mix until `--`. The error texts are
//! getopt's, so a mistyped flag reads as it does in a terminal.

/// One option the utility accepts.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub short: Option<char>,
    pub long: Option<&'static str>,
    pub takes_value: bool,
    /// What the option is called in [`Parsed::options`] (its short letter, or an invented one
    /// for long-only options).
    pub key: char,
}

/// A short option `c` with a long name, taking a value or not.
pub const fn opt(short: char, long: &'static str, takes_value: bool) -> Spec {
    Spec {
        short: Some(short),
        long: if long.is_empty() { None } else { Some(long) },
        takes_value,
        key: short,
    }
}

/// A long-only option, reported under `key`.
pub const fn long(key: char, long: &'static str, takes_value: bool) -> Spec {
    Spec { short: None, long: Some(long), takes_value, key }
}

/// The options (in order, each with its value) and the operands.
#[derive(Debug, Default)]
pub struct Parsed {
    pub options: Vec<(char, String)>,
    pub operands: Vec<String>,
}

impl Parsed {
    /// Whether option `key` was given.
    pub fn has(&self, key: char) -> bool {
        self.options.iter().any(|(k, _)| *k == key)
    }

    /// The last value of option `key`.
    pub fn value(&self, key: char) -> Option<&str> {
        self.options.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
    }

    /// Every value of option `key`, in order.
    pub fn values(&self, key: char) -> Vec<&str> {
        self.options.iter().filter(|(k, _)| *k == key).map(|(_, v)| v.as_str()).collect()
    }
}

/// Parses `args`; on error the message getopt prints (without the `Try '... --help'` line).
pub fn parse(util: &str, args: &[String], specs: &[Spec]) -> Result<Parsed, String> {
    let mut parsed = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            parsed.operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, attached) = match body.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (body, None),
            };
            let exact = specs.iter().find(|s| s.long == Some(name));
            let candidates: Vec<&Spec> =
                specs.iter().filter(|s| s.long.is_some_and(|l| l.starts_with(name))).collect();
            let spec = match (exact, candidates.as_slice()) {
                (Some(spec), _) => spec,
                (None, [spec]) => spec,
                (None, []) => return Err(format!("{util}: unrecognized option '--{name}'")),
                (None, _) => return Err(format!("{util}: option '--{name}' is ambiguous")),
            };
            let full = spec.long.unwrap_or(name);
            if spec.takes_value {
                let value = match attached {
                    Some(value) => value,
                    None => match args.get(i) {
                        Some(value) => {
                            i += 1;
                            value.clone()
                        }
                        None => return Err(format!("{util}: option '--{full}' requires an argument")),
                    },
                };
                parsed.options.push((spec.key, value));
            } else if attached.is_some() {
                return Err(format!("{util}: option '--{full}' doesn't allow an argument"));
            } else {
                parsed.options.push((spec.key, String::new()));
            }
            continue;
        }
        if arg.len() < 2 || !arg.starts_with('-') {
            parsed.operands.push(arg.clone());
            continue;
        }
        let letters: Vec<char> = arg[1..].chars().collect();
        let mut j = 0;
        while j < letters.len() {
            let letter = letters[j];
            j += 1;
            let Some(spec) = specs.iter().find(|s| s.short == Some(letter)) else {
                return Err(format!("{util}: invalid option -- '{letter}'"));
            };
            if !spec.takes_value {
                parsed.options.push((spec.key, String::new()));
                continue;
            }
            let value = if j < letters.len() {
                letters[j..].iter().collect()
            } else {
                match args.get(i) {
                    Some(value) => {
                        i += 1;
                        value.clone()
                    }
                    None => return Err(format!("{util}: option requires an argument -- '{letter}'")),
                }
            };
            parsed.options.push((spec.key, value));
            break;
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn clusters_attached_values_long_names_and_double_dash() {
        let specs = [opt('n', "lines", true), opt('v', "invert-match", false), opt('q', "quiet", false)];
        let parsed = parse("t", &words("-vq -n5 f --lin=7 g -- -x"), &specs).unwrap();
        assert_eq!(parsed.value('n'), Some("7"));
        assert!(parsed.has('v') && parsed.has('q'));
        assert_eq!(parsed.operands, words("f g -x"));
        assert_eq!(parse("t", &words("-z"), &specs).unwrap_err(), "t: invalid option -- 'z'");
        assert_eq!(parse("t", &words("-n"), &specs).unwrap_err(), "t: option requires an argument -- 'n'");
        assert_eq!(parse("t", &words("--bogus"), &specs).unwrap_err(), "t: unrecognized option '--bogus'");
    }
}
