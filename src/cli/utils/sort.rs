//! `sort` and `uniq`: ordering lines (byte order, as in the `C.UTF-8` locale) by whole line or
//! by keys, and collapsing adjacent repeats.

use super::opts::{self, opt};
use super::{split_lines, UtilIo};
use std::cmp::Ordering;

/// How one key compares (`-k 2,2nr` or the global `-n -r -f -b`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct KeyOpts {
    numeric: bool,
    reverse: bool,
    fold: bool,
    blanks: bool,
}

impl KeyOpts {
    fn is_default(&self) -> bool {
        *self == KeyOpts::default()
    }
}

/// A `-k` KEYDEF: from field.char to field.char (0 = end of field), 1-based.
#[derive(Debug, Clone, Copy)]
struct Key {
    start_field: usize,
    start_char: usize,
    end: Option<(usize, usize)>,
    opts: KeyOpts,
}

fn parse_key(spec: &str, global: KeyOpts) -> Result<Key, String> {
    let invalid = |why: &str| format!("sort: {why}: invalid field specification ‘{spec}’");
    let (start, end) = match spec.split_once(',') {
        Some((s, e)) => (s, Some(e)),
        None => (spec, None),
    };
    let mut opts = KeyOpts::default();
    let mut parse_pos = |text: &str, is_end: bool| -> Result<(usize, usize), String> {
        let digits_end = text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len());
        let (pos, flags) = text.split_at(digits_end);
        for flag in flags.chars() {
            match flag {
                'n' | 'g' | 'h' => opts.numeric = true,
                'r' => opts.reverse = true,
                'f' => opts.fold = true,
                'b' => opts.blanks = true,
                _ => return Err(invalid("stray character in field spec")),
            }
        }
        let (field, ch) = match pos.split_once('.') {
            Some((f, c)) => (f, c),
            None => (pos, ""),
        };
        let field: usize = field.parse().map_err(|_| invalid("invalid number at field start"))?;
        if field == 0 {
            return Err(invalid("field number is zero"));
        }
        let ch: usize =
            if ch.is_empty() { 0 } else { ch.parse().map_err(|_| invalid("invalid number after '.'"))? };
        if !is_end && pos.contains('.') && ch == 0 {
            return Err(invalid("character offset is zero"));
        }
        Ok((field, ch))
    };
    let (start_field, start_char) = parse_pos(start, false)?;
    let end = end.map(|e| parse_pos(e, true)).transpose()?;
    let opts = if opts.is_default() { global } else { opts };
    Ok(Key { start_field, start_char: start_char.max(1), end, opts })
}

/// Byte offsets where each field starts and ends: with a separator, between separators;
/// without, a field is its leading blanks and the non-blanks after them.
fn fields(line: &str, tab: Option<char>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    match tab {
        Some(t) => {
            let mut start = 0;
            for (i, c) in line.char_indices() {
                if c == t {
                    out.push((start, i));
                    start = i + c.len_utf8();
                }
            }
            out.push((start, line.len()));
        }
        None => {
            let bytes = line.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                let start = i;
                while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
                    i += 1;
                }
                while i < bytes.len() && bytes[i] != b' ' && bytes[i] != b'\t' {
                    i += 1;
                }
                out.push((start, i));
            }
        }
    }
    out
}

fn key_text<'a>(line: &'a str, key: &Key, tab: Option<char>) -> &'a str {
    let fields = fields(line, tab);
    let Some(&(fs, fe)) = fields.get(key.start_field - 1) else { return "" };
    let mut begin = fs;
    if key.opts.blanks {
        begin += line[fs..fe].len() - line[fs..fe].trim_start_matches([' ', '\t']).len();
    }
    begin = (begin + key.start_char - 1).min(fe.max(begin));
    let end = match key.end {
        None => line.len(),
        Some((field, ch)) => match fields.get(field - 1) {
            None => line.len(),
            Some(&(s, e)) => {
                if ch == 0 {
                    e
                } else {
                    let mut s = s;
                    if key.opts.blanks {
                        s += line[s..e].len() - line[s..e].trim_start_matches([' ', '\t']).len();
                    }
                    (s + ch).min(e)
                }
            }
        },
    };
    if end <= begin || !line.is_char_boundary(begin) || !line.is_char_boundary(end) {
        ""
    } else {
        &line[begin..end]
    }
}

/// The number a line starts with for `-n`: blanks, an optional minus, digits and a fraction;
/// anything else counts as zero.
fn leading_number(text: &str) -> f64 {
    let text = text.trim_start_matches([' ', '\t']);
    let mut end = 0;
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b'-') {
        end = 1;
    }
    let digits_start = end;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    if end < bytes.len() && bytes[end] == b'.' {
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
    }
    if end == digits_start {
        return 0.0;
    }
    text[..end].parse().unwrap_or(0.0)
}

fn compare_text(a: &str, b: &str, opts: KeyOpts) -> Ordering {
    let (a, b) = if opts.blanks {
        (a.trim_start_matches([' ', '\t']), b.trim_start_matches([' ', '\t']))
    } else {
        (a, b)
    };
    let ordering = if opts.numeric {
        leading_number(a).partial_cmp(&leading_number(b)).unwrap_or(Ordering::Equal)
    } else if opts.fold {
        a.bytes().map(|c| c.to_ascii_uppercase()).cmp(b.bytes().map(|c| c.to_ascii_uppercase()))
    } else {
        a.cmp(b)
    };
    if opts.reverse {
        ordering.reverse()
    } else {
        ordering
    }
}

/// `sort [-r] [-n] [-u] [-f] [-b] [-s] [-t SEP] [-k KEYDEF]... [-o FILE] [FILE]...`.
pub fn sort(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let specs = [
        opt('r', "reverse", false),
        opt('n', "numeric-sort", false),
        opt('g', "general-numeric-sort", false),
        opt('h', "human-numeric-sort", false),
        opt('u', "unique", false),
        opt('f', "ignore-case", false),
        opt('b', "ignore-leading-blanks", false),
        opt('s', "stable", false),
        opt('t', "field-separator", true),
        opt('k', "key", true),
        opt('o', "output", true),
    ];
    let parsed = match opts::parse("sort", args, &specs) {
        Ok(parsed) => parsed,
        Err(message) => return io.usage("sort", &message, 2),
    };
    let global = KeyOpts {
        numeric: parsed.has('n') || parsed.has('g') || parsed.has('h'),
        reverse: parsed.has('r'),
        fold: parsed.has('f'),
        blanks: parsed.has('b'),
    };
    let tab = match parsed.value('t') {
        None => None,
        Some(t) if t.chars().count() == 1 => t.chars().next(),
        Some("") => {
            io.stderr.push_str("sort: empty tab\n");
            return 2;
        }
        Some(t) => {
            io.stderr.push_str(&format!("sort: multi-character tab ‘{t}’\n"));
            return 2;
        }
    };
    let mut keys = Vec::new();
    for spec in parsed.values('k') {
        match parse_key(spec, global) {
            Ok(key) => keys.push(key),
            Err(message) => {
                io.stderr.push_str(&format!("{message}\n"));
                return 2;
            }
        }
    }
    let operands = if parsed.operands.is_empty() { vec!["-".to_string()] } else { parsed.operands.clone() };
    let mut text = String::new();
    for operand in &operands {
        match io.read(operand) {
            Ok(t) => {
                text.push_str(&t);
                if !t.is_empty() && !t.ends_with('\n') {
                    text.push('\n');
                }
            }
            Err(e) => {
                io.stderr.push_str(&format!("sort: cannot read: {e}\n"));
                return 2;
            }
        }
    }
    let compare_keys = |a: &str, b: &str| -> Ordering {
        if keys.is_empty() {
            return compare_text(a, b, global);
        }
        for key in &keys {
            let ordering = compare_text(key_text(a, key, tab), key_text(b, key, tab), key.opts);
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        Ordering::Equal
    };
    // Keys that tie fall back to the whole line in byte order (reversed by -r), unless -s or -u.
    let last_resort = !parsed.has('s') && !parsed.has('u');
    let mut lines = split_lines(&text);
    lines.sort_by(|a, b| {
        compare_keys(a, b).then_with(|| {
            if !last_resort {
                Ordering::Equal
            } else if global.reverse {
                b.cmp(a)
            } else {
                a.cmp(b)
            }
        })
    });
    if parsed.has('u') {
        lines.dedup_by(|b, a| compare_keys(a, b) == Ordering::Equal);
    }
    let mut out = String::new();
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    match parsed.value('o') {
        Some(file) => io.fs.write(file, &out),
        None => io.stdout.push_str(&out),
    }
    0
}

/// `uniq [-c] [-d] [-u] [-i] [-f N] [-s N] [INPUT [OUTPUT]]`.
pub fn uniq(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let specs = [
        opt('c', "count", false),
        opt('d', "repeated", false),
        opt('u', "unique", false),
        opt('i', "ignore-case", false),
        opt('f', "skip-fields", true),
        opt('s', "skip-chars", true),
    ];
    let parsed = match opts::parse("uniq", args, &specs) {
        Ok(parsed) => parsed,
        Err(message) => return io.usage("uniq", &message, 1),
    };
    let number = |key: char, what: &str, io: &mut UtilIo<'_>| -> Result<usize, i32> {
        match parsed.value(key) {
            None => Ok(0),
            Some(v) => v.parse().map_err(|_| {
                io.stderr.push_str(&format!("uniq: {v}: invalid number of {what} to skip\n"));
                1
            }),
        }
    };
    let skip_fields = match number('f', "fields", io) {
        Ok(n) => n,
        Err(status) => return status,
    };
    let skip_chars = match number('s', "bytes", io) {
        Ok(n) => n,
        Err(status) => return status,
    };
    if parsed.operands.len() > 2 {
        return io.usage("uniq", &format!("uniq: extra operand ‘{}’", parsed.operands[2]), 1);
    }
    let input = parsed.operands.first().map(String::as_str).unwrap_or("-");
    let text = match io.read(input) {
        Ok(text) => text,
        Err(e) => {
            io.stderr.push_str(&format!("uniq: {e}\n"));
            return 1;
        }
    };
    let key = |line: &str| -> String {
        let mut rest = line;
        for _ in 0..skip_fields {
            rest = rest.trim_start_matches([' ', '\t']);
            rest = rest.trim_start_matches(|c| c != ' ' && c != '\t');
        }
        let rest: String = rest.chars().skip(skip_chars).collect();
        if parsed.has('i') {
            rest.to_lowercase()
        } else {
            rest
        }
    };
    let mut groups: Vec<(&str, usize)> = Vec::new();
    let mut last_key = None;
    for line in split_lines(&text) {
        let k = key(line);
        if last_key.as_ref() == Some(&k) {
            if let Some(group) = groups.last_mut() {
                group.1 += 1;
            }
        } else {
            groups.push((line, 1));
            last_key = Some(k);
        }
    }
    let mut out = String::new();
    for (line, count) in groups {
        if (parsed.has('d') && count < 2) || (parsed.has('u') && count > 1) {
            continue;
        }
        if parsed.has('c') {
            out.push_str(&format!("{count:>7} "));
        }
        out.push_str(line);
        out.push('\n');
    }
    match parsed.operands.get(1) {
        Some(file) => io.fs.write(file, &out),
        None => io.stdout.push_str(&out),
    }
    0
}
