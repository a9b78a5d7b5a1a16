//! Shell patterns (`case`, `[[ x == p ]]`, `${V#p}`, `${V/p/r}`): `*`, `?`, `[…]` (with `!`/`^`
//! and ranges), and `\x` for a literal character (the interpreter escapes quoted text so).
//! Hand-written: the globbing crates match paths (separators, dot files), not shell words.

#[derive(Debug, Clone, PartialEq)]
enum Item {
    Char(char),
    Any,
    Star,
    Class { negated: bool, ranges: Vec<(char, char)> },
}

fn compile(pattern: &str) -> Vec<Item> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut items = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                items.push(Item::Char(chars[i + 1]));
                i += 2;
                continue;
            }
            '*' => {
                if items.last() != Some(&Item::Star) {
                    items.push(Item::Star);
                }
            }
            '?' => items.push(Item::Any),
            '[' => {
                if let Some((class, next)) = class(&chars, i) {
                    items.push(class);
                    i = next;
                    continue;
                }
                items.push(Item::Char('['));
            }
            c => items.push(Item::Char(c)),
        }
        i += 1;
    }
    items
}

/// `[…]` starting at `start`; the class and the index after it, or `None` if unclosed.
fn class(chars: &[char], start: usize) -> Option<(Item, usize)> {
    let mut i = start + 1;
    let negated = matches!(chars.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !first {
            return Some((Item::Class { negated, ranges }, i + 1));
        }
        first = false;
        let c = if c == '\\' {
            i += 1;
            *chars.get(i)?
        } else {
            c
        };
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|e| *e != ']') {
            ranges.push((c, chars[i + 2]));
            i += 3;
        } else {
            ranges.push((c, c));
            i += 1;
        }
    }
}

fn matches_items(items: &[Item], text: &[char]) -> bool {
    // Iterative matching with one backtrack point per star (linear for typical patterns).
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match items.get(p) {
            Some(Item::Star) => {
                star = Some((p, t));
                p += 1;
                continue;
            }
            Some(item) if single(item, text[t]) => {
                p += 1;
                t += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                p = sp + 1;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    items[p..].iter().all(|i| *i == Item::Star)
}

fn single(item: &Item, c: char) -> bool {
    match item {
        Item::Char(expected) => *expected == c,
        Item::Any => true,
        Item::Class { negated, ranges } => ranges.iter().any(|(a, b)| (*a..=*b).contains(&c)) != *negated,
        Item::Star => false,
    }
}

/// Whether the whole `text` matches `pattern`.
pub fn matches(pattern: &str, text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    matches_items(&compile(pattern), &chars)
}

/// The text with the shortest or longest matching prefix (`prefix`) or suffix removed.
pub fn remove(pattern: &str, text: &str, prefix: bool, longest: bool) -> String {
    let items = compile(pattern);
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    // `cut` is the length removed: longest first or shortest first.
    let cuts: Vec<usize> = if longest { (0..=n).rev().collect() } else { (0..=n).collect() };
    for cut in cuts {
        let (part, rest) =
            if prefix { (&chars[..cut], &chars[cut..]) } else { (&chars[n - cut..], &chars[..n - cut]) };
        let _ = rest;
        if matches_items(&items, part) {
            let kept: String =
                if prefix { chars[cut..].iter().collect() } else { chars[..n - cut].iter().collect() };
            return kept;
        }
    }
    text.to_string()
}

/// `${V/p/r}` and its variants: `all` replaces every match, `anchor` is `Some(true)` for a
/// prefix match (`/#`) and `Some(false)` for a suffix match (`/%`).
pub fn replace(pattern: &str, text: &str, replacement: &str, all: bool, anchor: Option<bool>) -> String {
    let items = compile(pattern);
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    if items.is_empty() {
        return text.to_string();
    }
    match anchor {
        Some(true) => {
            for end in (0..=n).rev() {
                if matches_items(&items, &chars[..end]) {
                    return format!("{replacement}{}", chars[end..].iter().collect::<String>());
                }
            }
            text.to_string()
        }
        Some(false) => {
            for start in 0..=n {
                if matches_items(&items, &chars[start..]) {
                    return format!("{}{replacement}", chars[..start].iter().collect::<String>());
                }
            }
            text.to_string()
        }
        None => {
            let mut out = String::new();
            let mut i = 0;
            let mut replaced = false;
            while i < n {
                if replaced && !all {
                    out.extend(&chars[i..]);
                    return out;
                }
                // The longest match starting here.
                let found = (i + 1..=n).rev().find(|end| matches_items(&items, &chars[i..*end]));
                match found {
                    Some(end) => {
                        out.push_str(replacement);
                        i = end;
                        replaced = true;
                    }
                    None => {
                        out.push(chars[i]);
                        i += 1;
                    }
                }
            }
            out
        }
    }
}

/// `text` with the pattern characters escaped, so that it matches only itself.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_classes_and_escapes() {
        assert!(matches("arn:*:task/*", "arn:aws:ecs:task/abc"));
        assert!(matches("[a-c]?", "bz"));
        assert!(!matches("[!a-c]?", "bz"));
        assert!(matches("\\*", "*"));
        assert!(!matches("\\*", "x"));
        assert_eq!(remove("*/", "a/b/c", true, false), "b/c");
        assert_eq!(remove("*/", "a/b/c", true, true), "c");
        assert_eq!(remove(".*", "f.tar.gz", false, false), "f.tar");
        assert_eq!(remove(".*", "f.tar.gz", false, true), "f");
        assert_eq!(replace("o", "foo boo", "0", false, None), "f0o boo");
        assert_eq!(replace("o", "foo boo", "0", true, None), "f00 b00");
        assert_eq!(replace("f", "foo", "g", false, Some(true)), "goo");
    }
}
