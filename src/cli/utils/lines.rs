//! `head`, `tail` and `wc`: the first or last lines or bytes of each input, and their counts.

use super::opts::{self, opt};
use super::UtilIo;

/// A count as `head`/`tail` take it: `N`, `-N` (all but the last N) or `+N` (from the Nth).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Count {
    First(usize),
    AllBut(usize),
    From(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    Lines,
    Bytes,
}

/// `-5` is `-n 5`; tail's `+5` is `-n +5` (the obsolete forms scripts still use).
fn expand_number_option(args: &[String], tail: bool) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    for (i, arg) in args.iter().enumerate() {
        // `-n -2` is a count, not the `-2` shorthand.
        if i > 0 && ["-n", "-c", "--lines", "--bytes"].contains(&args[i - 1].as_str()) {
            out.push(arg.clone());
            continue;
        }
        let digits = arg.strip_prefix('-').filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
        let plus = arg
            .strip_prefix('+')
            .filter(|d| tail && i == 0 && !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
        match (digits, plus) {
            (Some(n), _) => out.extend(["-n".to_string(), n.to_string()]),
            (_, Some(n)) => out.extend(["-n".to_string(), format!("+{n}")]),
            _ => out.push(arg.clone()),
        }
    }
    out
}

fn parse_count(text: &str, tail: bool) -> Option<Count> {
    let (make, digits): (fn(usize) -> Count, &str) = if let Some(rest) = text.strip_prefix('+') {
        (if tail { Count::From } else { Count::First }, rest)
    } else if let Some(rest) = text.strip_prefix('-') {
        (if tail { Count::First } else { Count::AllBut }, rest)
    } else {
        (Count::First, text)
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Counts beyond memory behave as "everything", as coreutils clamps them.
    Some(make(digits.parse::<usize>().unwrap_or(usize::MAX)))
}

/// What `head` and `tail` share: options, headers between files, missing files.
fn head_or_tail(util: &str, args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let tail = util == "tail";
    let args = expand_number_option(args, tail);
    let mut specs = vec![
        opt('n', "lines", true),
        opt('c', "bytes", true),
        opt('q', "quiet", false),
        opt('v', "verbose", false),
    ];
    specs.push(opt('q', "silent", false));
    specs.push(opt('z', "zero-terminated", false));
    if tail {
        // Following a file makes no sense in a script that runs to completion: accepted, and the
        // output is what is there now.
        specs.extend([opt('f', "follow", false), opt('F', "", false), opt('s', "sleep-interval", true)]);
    }
    let parsed = match opts::parse(util, &args, &specs) {
        Ok(parsed) => parsed,
        Err(message) => return io.usage(util, &message, 1),
    };
    let mut count = Count::First(10);
    let mut unit = Unit::Lines;
    for (key, value) in &parsed.options {
        let (what, u) = match key {
            'n' => ("lines", Unit::Lines),
            'c' => ("bytes", Unit::Bytes),
            _ => continue,
        };
        let Some(c) = parse_count(value, tail) else {
            io.stderr.push_str(&format!("{util}: invalid number of {what}: ‘{value}’\n"));
            return 1;
        };
        count = c;
        unit = u;
    }
    let operands = if parsed.operands.is_empty() { vec!["-".to_string()] } else { parsed.operands.clone() };
    let headers = parsed.has('v') || (operands.len() > 1 && !parsed.has('q'));
    let mut status = 0;
    let mut first = true;
    for operand in &operands {
        let text = match io.read(operand) {
            Ok(text) => text,
            Err(_) => {
                io.stderr.push_str(&format!(
                    "{util}: cannot open '{operand}' for reading: No such file or directory\n"
                ));
                status = 1;
                continue;
            }
        };
        if headers {
            let name = if operand == "-" { "standard input" } else { operand };
            io.stdout.push_str(&format!("{}==> {name} <==\n", if first { "" } else { "\n" }));
        }
        first = false;
        // `-z`: records end in NUL instead of newline.
        let text = if parsed.has('z') { text.replace('\n', "\u{1}").replace('\0', "\n") } else { text };
        // tail's plain count is the last N; its `+N` and head's counts are ranges from the start.
        let out = match (unit, count) {
            (Unit::Lines, Count::First(k)) if tail => last_lines(&text, k),
            (Unit::Bytes, Count::First(k)) if tail => last_bytes(&text, k),
            (Unit::Lines, count) => select_lines(&text, count),
            (Unit::Bytes, count) => select_bytes(&text, count),
        };
        let out = if parsed.has('z') { out.replace('\n', "\0").replace('\u{1}', "\n") } else { out };
        io.stdout.push_str(&out);
    }
    status
}

/// The lines `count` picks, each with its newline as it was.
fn select_lines(text: &str, count: Count) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let n = lines.len();
    let range = match count {
        Count::First(k) => 0..k.min(n),
        Count::AllBut(k) => 0..n.saturating_sub(k),
        Count::From(k) => k.saturating_sub(1).min(n)..n,
    };
    lines[range].concat()
}

/// `tail -n N` counts from the end: the same as [`select_lines`] with the range flipped.
fn last_lines(text: &str, k: usize) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    lines[lines.len().saturating_sub(k)..].concat()
}

fn select_bytes(text: &str, count: Count) -> String {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let range = match count {
        Count::First(k) => 0..k.min(n),
        Count::AllBut(k) => 0..n.saturating_sub(k),
        Count::From(k) => k.saturating_sub(1).min(n)..n,
    };
    String::from_utf8_lossy(&bytes[range]).into_owned()
}

fn last_bytes(text: &str, k: usize) -> String {
    let bytes = text.as_bytes();
    String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(k)..]).into_owned()
}

/// `head [-n N|-N|-n -N] [-c N] [-q|-v] [FILE]...`.
pub fn head(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    head_or_tail("head", args, io)
}

/// `tail [-n N|-N|-n +N|+N] [-c N|+N] [-q|-v] [FILE]...`.
pub fn tail(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    head_or_tail("tail", args, io)
}

/// Counts of one input, in `wc`'s column order.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    lines: usize,
    words: usize,
    chars: usize,
    bytes: usize,
    max_line: usize,
}

fn count(text: &str) -> Counts {
    let mut counts = Counts { bytes: text.len(), chars: text.chars().count(), ..Counts::default() };
    counts.lines = text.bytes().filter(|b| *b == b'\n').count();
    counts.words = text.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).count();
    counts.max_line = text
        .split('\n')
        .map(|line| line.chars().fold(0, |width, c| if c == '\t' { width / 8 * 8 + 8 } else { width + 1 }))
        .max()
        .unwrap_or(0);
    counts
}

/// `wc [-l] [-w] [-c] [-m] [-L] [FILE]...`: coreutils' columns, right-aligned to the width of
/// the largest file's size (7 when reading a pipe), and a `total` line for several files.
pub fn wc(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let specs = [
        opt('l', "lines", false),
        opt('w', "words", false),
        opt('c', "bytes", false),
        opt('m', "chars", false),
        opt('L', "max-line-length", false),
    ];
    let parsed = match opts::parse("wc", args, &specs) {
        Ok(parsed) => parsed,
        Err(message) => return io.usage("wc", &message, 1),
    };
    let mut columns: Vec<char> = ['l', 'w', 'm', 'c', 'L'].into_iter().filter(|k| parsed.has(*k)).collect();
    if columns.is_empty() {
        columns = vec!['l', 'w', 'c'];
    }
    let from_stdin = parsed.operands.is_empty();
    let operands = if from_stdin { vec!["-".to_string()] } else { parsed.operands.clone() };
    let mut rows: Vec<(Counts, Option<String>)> = Vec::new();
    let mut status = 0;
    let mut size_total = 0;
    let mut pipe = false;
    for operand in &operands {
        match io.read(operand) {
            Ok(text) => {
                let counts = count(&text);
                if operand == "-" {
                    pipe = true;
                } else {
                    size_total += counts.bytes;
                }
                rows.push((counts, (!from_stdin).then(|| operand.clone())));
            }
            Err(error) => {
                io.stderr.push_str(&format!("wc: {error}\n"));
                status = 1;
            }
        }
    }
    let width = if columns.len() == 1 && operands.len() == 1 {
        1
    } else {
        size_total.to_string().len().max(if pipe { 7 } else { 1 })
    };
    if operands.len() > 1 {
        let mut total = Counts::default();
        for (c, _) in &rows {
            total.lines += c.lines;
            total.words += c.words;
            total.chars += c.chars;
            total.bytes += c.bytes;
            total.max_line = total.max_line.max(c.max_line);
        }
        rows.push((total, Some("total".into())));
    }
    for (counts, name) in rows {
        let fields: Vec<String> = columns
            .iter()
            .map(|k| {
                let n = match k {
                    'l' => counts.lines,
                    'w' => counts.words,
                    'm' => counts.chars,
                    'c' => counts.bytes,
                    _ => counts.max_line,
                };
                format!("{n:>width$}")
            })
            .collect();
        io.stdout.push_str(&fields.join(" "));
        if let Some(name) = name {
            io.stdout.push(' ');
            io.stdout.push_str(&name);
        }
        io.stdout.push('\n');
    }
    status
}
