//! `cat`, `tee` and `basename`: reading, copying and naming the session's files.

use super::opts::{self, opt};
use super::UtilIo;

/// `cat [-n] [-s] [FILE]...`: the files (or standard input) in order; a missing one is reported
/// and skipped, with status 1.
pub fn cat(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let specs = [opt('n', "number", false), opt('s', "squeeze-blank", false), opt('u', "", false)];
    let parsed = match opts::parse("cat", args, &specs) {
        Ok(parsed) => parsed,
        Err(message) => return io.usage("cat", &message, 1),
    };
    let operands = if parsed.operands.is_empty() { vec!["-".to_string()] } else { parsed.operands.clone() };
    let mut text = String::new();
    let mut status = 0;
    for operand in &operands {
        match io.read(operand) {
            Ok(content) => text.push_str(&content),
            Err(error) => {
                io.stderr.push_str(&format!("cat: {error}\n"));
                status = 1;
            }
        }
    }
    if parsed.has('s') || parsed.has('n') {
        let mut out = String::new();
        let mut number = 0;
        let mut blank_run = 0;
        for line in text.split_inclusive('\n') {
            let blank = line == "\n";
            blank_run = if blank { blank_run + 1 } else { 0 };
            if parsed.has('s') && blank_run > 1 {
                continue;
            }
            if parsed.has('n') {
                number += 1;
                out.push_str(&format!("{number:>6}\t"));
            }
            out.push_str(line);
        }
        text = out;
    }
    io.stdout.push_str(&text);
    status
}

/// `tee [-a] [FILE]...`: standard input to standard output and to each file.
pub fn tee(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let specs = [opt('a', "append", false), opt('i', "ignore-interrupts", false), opt('p', "", false)];
    let parsed = match opts::parse("tee", args, &specs) {
        Ok(parsed) => parsed,
        Err(message) => return io.usage("tee", &message, 1),
    };
    let input = io.stdin.to_string();
    for file in &parsed.operands {
        if parsed.has('a') {
            io.fs.append(file, &input);
        } else {
            io.fs.write(file, &input);
        }
    }
    io.stdout.push_str(&input);
    0
}

/// `basename NAME [SUFFIX]`, `basename -a NAME...`, `basename -s SUFFIX NAME...`.
pub fn basename(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let specs = [opt('a', "multiple", false), opt('s', "suffix", true), opt('z', "zero", false)];
    let parsed = match opts::parse("basename", args, &specs) {
        Ok(parsed) => parsed,
        Err(message) => return io.usage("basename", &message, 1),
    };
    let names = &parsed.operands;
    if names.is_empty() {
        return io.usage("basename", "basename: missing operand", 1);
    }
    let multiple = parsed.has('a') || parsed.has('s');
    let (names, suffix): (&[String], Option<&str>) = if multiple {
        (names, parsed.value('s'))
    } else if names.len() > 2 {
        return io.usage("basename", &format!("basename: extra operand ‘{}’", names[2]), 1);
    } else {
        (&names[..1], names.get(1).map(String::as_str))
    };
    let end = if parsed.has('z') { '\0' } else { '\n' };
    for name in names {
        io.stdout.push_str(&base_name(name, suffix));
        io.stdout.push(end);
    }
    0
}

/// POSIX basename: trailing slashes go, then everything up to the last slash, then the suffix
/// unless it is the whole remaining name.
fn base_name(name: &str, suffix: Option<&str>) -> String {
    if name.is_empty() {
        return String::new();
    }
    let trimmed = name.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    let base = trimmed.rsplit('/').next().unwrap_or(trimmed);
    match suffix {
        Some(suffix) if !suffix.is_empty() && base != suffix => {
            base.strip_suffix(suffix).unwrap_or(base).to_string()
        }
        _ => base.to_string(),
    }
}
