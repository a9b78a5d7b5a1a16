//! `cut` and `tr`: picking columns out of lines and translating characters.

use super::opts::{self, long, opt};
use super::{split_lines, UtilIo};

/// A cut list (`1,3-5,7-`) as inclusive 1-based ranges.
fn parse_list(list: &str, io: &mut UtilIo<'_>, fields: bool) -> Result<Vec<(usize, usize)>, i32> {
    let mut ranges = Vec::new();
    for part in list.split([',', ' ']) {
        let bad = |io: &mut UtilIo<'_>| {
            let what = if fields { "field value" } else { "byte/character position" };
            io.usage("cut", &format!("cut: invalid {what} ‘{part}’"), 1)
        };
        let number = |text: &str| text.parse::<usize>().ok();
        let (start, end) = match part.split_once('-') {
            None => match number(part) {
                Some(n) => (n, n),
                None => return Err(bad(io)),
            },
            Some(("", "")) => return Err(io.usage("cut", "cut: invalid range with no endpoint: -", 1)),
            Some((s, e)) => {
                let start = if s.is_empty() { Some(1) } else { number(s) };
                let end = if e.is_empty() { Some(usize::MAX) } else { number(e) };
                match (start, end) {
                    (Some(s), Some(e)) => (s, e),
                    _ => return Err(bad(io)),
                }
            }
        };
        if start == 0 || end == 0 {
            let what = if fields { "fields" } else { "byte/character positions" };
            return Err(io.usage("cut", &format!("cut: {what} are numbered from 1"), 1));
        }
        if end < start {
            return Err(io.usage("cut", "cut: invalid decreasing range", 1));
        }
        ranges.push((start, end));
    }
    Ok(ranges)
}

/// `cut -f LIST [-d DELIM] [-s] | -b LIST | -c LIST [--complement] [--output-delimiter=S]`.
/// `-c` counts bytes, as GNU cut does.
pub fn cut(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let specs = [
        opt('b', "bytes", true),
        opt('c', "characters", true),
        opt('f', "fields", true),
        opt('d', "delimiter", true),
        opt('s', "only-delimited", false),
        opt('n', "", false),
        long('C', "complement", false),
        long('O', "output-delimiter", true),
    ];
    let parsed = match opts::parse("cut", args, &specs) {
        Ok(parsed) => parsed,
        Err(message) => return io.usage("cut", &message, 1),
    };
    let lists: Vec<&(char, String)> =
        parsed.options.iter().filter(|(k, _)| matches!(k, 'b' | 'c' | 'f')).collect();
    let (mode, list) = match lists.as_slice() {
        [] => return io.usage("cut", "cut: you must specify a list of bytes, characters, or fields", 1),
        [(mode, list)] => (*mode, list.clone()),
        _ => return io.usage("cut", "cut: only one list may be specified", 1),
    };
    let fields = mode == 'f';
    let delimiter = match parsed.value('d') {
        None => '\t',
        Some(d) if d.chars().count() == 1 => d.chars().next().unwrap_or('\t'),
        Some(_) => return io.usage("cut", "cut: the delimiter must be a single character", 1),
    };
    if !fields && parsed.has('d') {
        return io.usage("cut", "cut: an input delimiter may be specified only when operating on fields", 1);
    }
    let ranges = match parse_list(&list, io, fields) {
        Ok(ranges) => ranges,
        Err(status) => return status,
    };
    let complement = parsed.has('C');
    let selected = |i: usize| ranges.iter().any(|(s, e)| (*s..=*e).contains(&i)) != complement;
    let operands = if parsed.operands.is_empty() { vec!["-".to_string()] } else { parsed.operands.clone() };
    let mut status = 0;
    for operand in &operands {
        let text = match io.read(operand) {
            Ok(text) => text,
            Err(e) => {
                io.stderr.push_str(&format!("cut: {e}\n"));
                status = 1;
                continue;
            }
        };
        for line in split_lines(&text) {
            if fields {
                if !line.contains(delimiter) {
                    if !parsed.has('s') {
                        io.stdout.push_str(line);
                        io.stdout.push('\n');
                    }
                    continue;
                }
                let out_delimiter = parsed.value('O').map(str::to_string).unwrap_or(delimiter.to_string());
                let picked: Vec<&str> = line
                    .split(delimiter)
                    .enumerate()
                    .filter(|(i, _)| selected(i + 1))
                    .map(|(_, f)| f)
                    .collect();
                io.stdout.push_str(&picked.join(&out_delimiter));
            } else {
                let bytes: Vec<u8> =
                    line.bytes().enumerate().filter(|(i, _)| selected(i + 1)).map(|(_, b)| b).collect();
                io.stdout.push_str(&String::from_utf8_lossy(&bytes));
            }
            io.stdout.push('\n');
        }
    }
    status
}

/// Expands a tr SET: ranges, `\n`-style and octal escapes, `[:class:]`, `[c*n]` and `[=c=]`.
fn expand_set(set: &str) -> Result<Vec<char>, String> {
    let chars: Vec<char> = set.chars().collect();
    // First resolve escapes into (char, was_escaped) so that `\-` is not a range.
    let mut items: Vec<(char, bool)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && i + 1 < chars.len() {
            let c = chars[i + 1];
            i += 2;
            let value = match c {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'a' => '\x07',
                'b' => '\x08',
                'f' => '\x0c',
                'v' => '\x0b',
                '0'..='7' => {
                    let mut value = c.to_digit(8).unwrap_or(0);
                    let mut taken = 1;
                    while taken < 3 && i < chars.len() && chars[i].is_digit(8) {
                        value = value * 8 + chars[i].to_digit(8).unwrap_or(0);
                        i += 1;
                        taken += 1;
                    }
                    char::from_u32(value).unwrap_or('\0')
                }
                other => other,
            };
            items.push((value, true));
        } else {
            items.push((chars[i], false));
            i += 1;
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let (c, escaped) = items[i];
        if c == '[' && !escaped {
            let rest: String = items[i..].iter().map(|(c, _)| *c).collect();
            // The class name starts after `[:`, so its `:]` is looked for from there (`[:]` is literal).
            if let Some(end) =
                rest.get(2..).and_then(|r| r.find(":]")).map(|e| e + 2).filter(|_| rest.starts_with("[:"))
            {
                let name = &rest[2..end];
                let class: Vec<char> = (0u8..=127)
                    .map(char::from)
                    .filter(|c| match name {
                        "alpha" => c.is_ascii_alphabetic(),
                        "digit" => c.is_ascii_digit(),
                        "alnum" => c.is_ascii_alphanumeric(),
                        "upper" => c.is_ascii_uppercase(),
                        "lower" => c.is_ascii_lowercase(),
                        "space" => c.is_ascii_whitespace() || *c == '\x0b',
                        "blank" => *c == ' ' || *c == '\t',
                        "punct" => c.is_ascii_punctuation(),
                        "print" => c.is_ascii_graphic() || *c == ' ',
                        "graph" => c.is_ascii_graphic(),
                        "cntrl" => c.is_ascii_control(),
                        "xdigit" => c.is_ascii_hexdigit(),
                        _ => false,
                    })
                    .collect();
                if class.is_empty() {
                    return Err(format!("tr: invalid character class ‘{name}’"));
                }
                out.extend(class);
                i += rest[..end + 2].chars().count();
                continue;
            }
            if let Some(end) =
                rest.get(2..).and_then(|r| r.find("=]")).map(|e| e + 2).filter(|_| rest.starts_with("[="))
            {
                out.extend(rest[2..end].chars());
                i += rest[..end + 2].chars().count();
                continue;
            }
            let inner: Vec<char> = rest.chars().collect();
            {
                if inner.len() >= 4 && inner.get(2) == Some(&'*') {
                    if let Some(close) = inner.iter().skip(3).position(|c| *c == ']').map(|p| p + 3) {
                        let count: String = inner[3..close].iter().collect();
                        let n = if count.is_empty() { 0 } else { count.parse::<usize>().unwrap_or(0) };
                        // `[c*]` fills SET2 to SET1's length: marked by a count of 0, resolved later.
                        out.extend(std::iter::repeat_n(inner[1], n.max(1)));
                        i += close + 1;
                        continue;
                    }
                }
            }
        }
        if i + 2 < items.len() && items[i + 1] == ('-', false) {
            let end = items[i + 2].0;
            if end < c {
                return Err(format!(
                    "tr: range-endpoints of '{}-{}' are in reverse collating sequence order",
                    c, end
                ));
            }
            out.extend((c as u32..=end as u32).filter_map(char::from_u32));
            i += 3;
            continue;
        }
        out.push(c);
        i += 1;
    }
    Ok(out)
}

/// `tr [-c] [-d] [-s] [-t] SET1 [SET2]`.
pub fn tr(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let specs = [
        opt('c', "complement", false),
        opt('C', "", false),
        opt('d', "delete", false),
        opt('s', "squeeze-repeats", false),
        opt('t', "truncate-set1", false),
    ];
    let parsed = match opts::parse("tr", args, &specs) {
        Ok(parsed) => parsed,
        Err(message) => return io.usage("tr", &message, 1),
    };
    let delete = parsed.has('d');
    let squeeze = parsed.has('s');
    let complement = parsed.has('c') || parsed.has('C');
    let sets = &parsed.operands;
    // Two sets when translating, or deleting and squeezing; one to delete or to squeeze alone.
    let one_set = (delete && !squeeze) || (!delete && squeeze && sets.len() == 1);
    let needed = if one_set { 1 } else { 2 };
    if sets.is_empty() {
        return io.usage("tr", "tr: missing operand", 1);
    }
    if sets.len() < needed {
        let why = if delete {
            "Two strings must be given when both deleting and squeezing repeats."
        } else {
            "Two strings must be given when translating."
        };
        return io.usage("tr", &format!("tr: missing operand after ‘{}’\n{why}", sets[sets.len() - 1]), 1);
    }
    if sets.len() > needed {
        let mut message = format!("tr: extra operand ‘{}’", sets[needed]);
        if needed == 1 && delete {
            message.push_str("\nOnly one string may be given when deleting without squeezing repeats.");
        }
        return io.usage("tr", &message, 1);
    }
    let set1 = match expand_set(&sets[0]) {
        Ok(set) => set,
        Err(message) => {
            io.stderr.push_str(&format!("{message}\n"));
            return 1;
        }
    };
    let set2 = match sets.get(1).map(|s| expand_set(s)).transpose() {
        Ok(set) => set.unwrap_or_default(),
        Err(message) => {
            io.stderr.push_str(&format!("{message}\n"));
            return 1;
        }
    };
    let in_set1 = |c: char| set1.contains(&c) != complement;
    let translating = !delete && sets.len() == 2;
    if translating && set2.is_empty() && !set1.is_empty() {
        io.stderr.push_str("tr: when not truncating set1, string2 must be non-empty\n");
        return 1;
    }
    let map = |c: char| -> char {
        if !translating {
            return c;
        }
        if complement {
            return if in_set1(c) { *set2.last().unwrap_or(&c) } else { c };
        }
        // The last occurrence in SET1 decides; SET2 is padded with its last character.
        match set1.iter().rposition(|x| *x == c) {
            Some(i) if parsed.has('t') && i >= set2.len() => c,
            Some(i) => *set2.get(i).or(set2.last()).unwrap_or(&c),
            None => c,
        }
    };
    // The squeeze set is SET2 when translating or deleting, SET1 otherwise.
    let squeeze_set: Vec<char> = if sets.len() == 2 { set2.clone() } else { set1.clone() };
    let squeeze_complement = complement && sets.len() == 1;
    let mut out = String::with_capacity(io.stdin.len());
    let mut last: Option<char> = None;
    for c in io.stdin.chars() {
        if delete && in_set1(c) {
            continue;
        }
        let c = map(c);
        if squeeze && last == Some(c) && (squeeze_set.contains(&c) != squeeze_complement) {
            continue;
        }
        out.push(c);
        last = Some(c);
    }
    io.stdout.push_str(&out);
    0
}
