//! Parameters of a URL query string, raw (not percent-decoded): the page's own parameters, the
//! control surface's and the AWS query protocol's `Action` are all looked up this way.

/// The pairs of `query`, with or without its leading `?`, up to a `#`.
fn pairs(query: &str) -> impl Iterator<Item = &str> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let query = query.split('#').next().unwrap_or(query);
    query.split('&').filter(|pair| !pair.is_empty())
}

/// The raw value of the first `name=value` pair (`None` for a bare `name` without `=`).
pub fn param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    pairs(query).find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

/// Whether `query` names `name`, with a value (`name=…`) or bare (`name`).
pub fn has_param(query: &str, name: &str) -> bool {
    pairs(query).any(|pair| pair.split_once('=').map_or(pair, |(key, _)| key) == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_bare_names_are_found_by_their_whole_name() {
        let query = "?preset=bench-like&bench&lesson=drain-last&seed=7#top";
        assert_eq!(param(query, "lesson"), Some("drain-last"));
        assert_eq!(param(query, "seed"), Some("7"));
        assert_eq!(param(query, "bench"), None, "bare");
        assert!(has_param(query, "bench"));
        assert!(!has_param(query, "bench-like"));
        assert!(!has_param(query, "top"), "after the #");
        assert_eq!(param("Action=GetRole&Version=2010-05-08", "Action"), Some("GetRole"));
        assert_eq!(param("Actions=1", "Action"), None);
    }
}
