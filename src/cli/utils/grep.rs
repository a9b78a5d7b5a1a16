//! `grep`: the lines of each input that match (or with `-v` do not match) any of the patterns.
//! Options: -E -F -G -i/-y -v -c -q -s -o -w -x -n -h -H -l -L -m N -e PATTERN -f? no.
//! Exit status 0 when a line was selected, 1 when none, 2 on an error (unless `-q` matched).

use super::opts::{self, opt};
use super::pattern::{self, Regex};
use super::{split_lines, UtilIo};

struct Matcher {
    regex: Regex,
    word: bool,
}

impl Matcher {
    /// The matches in `line`, as byte ranges; with `-w` only those with no word character on
    /// either side (trying later starts when one is not).
    fn matches(&self, line: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut at = 0;
        while at <= line.len() {
            let Some(m) = self.regex.find_at(line, at) else { break };
            let ok = !self.word || (word_edge(line, m.start(), true) && word_edge(line, m.end(), false));
            if ok {
                found.push((m.start(), m.end()));
            }
            // Move past an empty match or past the start of a rejected one.
            let next = if ok && m.end() > m.start() { m.end() } else { m.start() + 1 };
            at = next;
            while at < line.len() && !line.is_char_boundary(at) {
                at += 1;
            }
        }
        found
    }

    fn is_match(&self, line: &str) -> bool {
        if self.word {
            !self.matches(line).is_empty()
        } else {
            self.regex.is_match(line)
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn word_edge(line: &str, at: usize, before: bool) -> bool {
    let neighbour = if before { line[..at].chars().next_back() } else { line[at..].chars().next() };
    !neighbour.is_some_and(is_word_char)
}

/// `grep [OPTION]... PATTERNS [FILE]...`.
pub fn grep(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let specs = [
        opt('E', "extended-regexp", false),
        opt('F', "fixed-strings", false),
        opt('G', "basic-regexp", false),
        opt('i', "ignore-case", false),
        opt('y', "", false),
        opt('v', "invert-match", false),
        opt('c', "count", false),
        opt('q', "quiet", false),
        opt('q', "silent", false),
        opt('s', "no-messages", false),
        opt('o', "only-matching", false),
        opt('w', "word-regexp", false),
        opt('x', "line-regexp", false),
        opt('n', "line-number", false),
        opt('h', "no-filename", false),
        opt('H', "with-filename", false),
        opt('l', "files-with-matches", false),
        opt('L', "files-without-match", false),
        opt('m', "max-count", true),
        opt('e', "regexp", true),
    ];
    let parsed = match opts::parse("grep", args, &specs) {
        Ok(parsed) => parsed,
        Err(message) => return io.usage("grep", &message, 2),
    };
    let mut operands = parsed.operands.clone();
    let patterns: Vec<String> = if parsed.has('e') {
        parsed.values('e').iter().map(|p| p.to_string()).collect()
    } else if operands.is_empty() {
        io.stderr.push_str(
            "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
        );
        return 2;
    } else {
        vec![operands.remove(0)]
    };
    let max_count = match parsed.value('m').map(|m| m.parse::<i64>()) {
        None => None,
        Some(Ok(m)) if m < 0 => None,
        Some(Ok(m)) => Some(m as usize),
        Some(Err(_)) => {
            io.stderr.push_str("grep: invalid max count\n");
            return 2;
        }
    };
    // The last of -E/-F/-G wins.
    let mode = parsed.options.iter().rev().find(|(k, _)| matches!(k, 'E' | 'F' | 'G')).map(|(k, _)| *k);
    let mut alternatives = Vec::new();
    for pattern in patterns.iter().flat_map(|p| p.split('\n')) {
        let translated = match mode {
            Some('F') => Ok(pattern::escape(pattern)),
            Some('E') => pattern::translate(pattern, true),
            _ => pattern::translate(pattern, false),
        };
        match translated {
            Ok(t) => {
                alternatives.push(if parsed.has('x') { format!("^(?:{t})$") } else { format!("(?:{t})") })
            }
            Err(message) => {
                io.stderr.push_str(&format!("grep: {message}\n"));
                return 2;
            }
        }
    }
    let regex = match pattern::compile(&alternatives.join("|"), parsed.has('i') || parsed.has('y')) {
        Ok(regex) => regex,
        Err(message) => {
            io.stderr.push_str(&format!("grep: {message}\n"));
            return 2;
        }
    };
    let matcher = Matcher { regex, word: parsed.has('w') && !parsed.has('x') };
    let operands = if operands.is_empty() { vec!["-".to_string()] } else { operands };
    let with_names = (operands.len() > 1 || parsed.has('H')) && !parsed.has('h');
    let invert = parsed.has('v');
    let quiet = parsed.has('q');
    let mut selected_any = false;
    let mut error = false;
    for operand in &operands {
        let text = match io.read(operand) {
            Ok(text) => text,
            Err(e) => {
                if !parsed.has('s') {
                    io.stderr.push_str(&format!("grep: {e}\n"));
                }
                error = true;
                continue;
            }
        };
        let name = if operand == "-" { "(standard input)" } else { operand.as_str() };
        let prefix = if with_names { format!("{name}:") } else { String::new() };
        let mut count = 0usize;
        for (number, line) in split_lines(&text).into_iter().enumerate() {
            if max_count.is_some_and(|m| count >= m) {
                break;
            }
            if matcher.is_match(line) == invert {
                continue;
            }
            count += 1;
            selected_any = true;
            if quiet {
                return 0;
            }
            if parsed.has('c') || parsed.has('l') || parsed.has('L') {
                continue;
            }
            let numbered = if parsed.has('n') { format!("{prefix}{}:", number + 1) } else { prefix.clone() };
            if parsed.has('o') {
                if !invert {
                    for (start, end) in matcher.matches(line) {
                        if end > start {
                            io.stdout.push_str(&format!("{numbered}{}\n", &line[start..end]));
                        }
                    }
                }
            } else {
                io.stdout.push_str(&format!("{numbered}{line}\n"));
            }
        }
        if parsed.has('l') {
            if count > 0 {
                io.stdout.push_str(&format!("{name}\n"));
            }
        } else if parsed.has('L') {
            if count == 0 {
                io.stdout.push_str(&format!("{name}\n"));
            }
        } else if parsed.has('c') {
            io.stdout.push_str(&format!("{prefix}{count}\n"));
        }
    }
    if error && !(quiet && selected_any) {
        2
    } else if selected_any {
        0
    } else {
        1
    }
}
