//! `awk [-F FS] [-v VAR=VALUE]... 'PROGRAM' [FILE]...`: the part of POSIX awk that one-liners
//! over CLI output use. Hand-written because no maintained awk implementation in Rust is a
//! library that builds for wasm32 (frawk compiles through LLVM/Cranelift; the others are
//! programs, not crates one can call with a string and get a string back).
//!
//! The subset: `BEGIN`/`END`, patterns (`/re/`, expressions, `!`, `&&`, `||`), actions with
//! `print` (commas join with OFS; `> file` and `>> file` write session files), `printf`,
//! assignments (`=`, `+=`, … `++`, `--`), fields (`$1`, `$NF`, assigning rebuilds `$0`), `NR`,
//! `NF`, `FNR`, `FS`, `OFS`, `ORS`, `FILENAME`, `RSTART`, `RLENGTH`, associative arrays with
//! `for (k in a)`, `(k in a)` and `delete`, `if`/`else`, `while`, `do`, `for`, `next`, `exit`,
//! `break`, `continue`, string concatenation, `~`/`!~`, `?:`, and the functions `length`,
//! `substr`, `index`, `split`, `sub`, `gsub`, `match`, `sprintf`, `tolower`, `toupper`, `int`,
//! `sqrt`, `exp`, `log`. Not run: user-defined functions, `getline`, `system`, pipes to
//! commands, range patterns; the program is refused with a message saying which.

use super::pattern::{self, Regex};
use super::{split_lines, UtilIo};
use std::collections::{BTreeMap, HashMap};

// ---------------------------------------------------------------------------------------------
// Values

#[derive(Debug, Clone)]
enum Value {
    Num(f64),
    Str(String),
    /// Input text (fields, `-v` values): compares as a number when it looks like one.
    StrNum(String),
}

fn looks_numeric(text: &str) -> Option<f64> {
    let trimmed = text.trim_matches([' ', '\t', '\n']);
    if trimmed.is_empty() {
        return None;
    }
    let (value, used) = leading_number(trimmed);
    (used == trimmed.len()).then_some(value)
}

/// strtod's prefix: the number a string starts with and how many bytes it used.
fn leading_number(text: &str) -> (f64, usize) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t' || bytes[i] == b'\n') {
        i += 1;
    }
    let start = i;
    if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == digits_start || (i == digits_start + 1 && bytes[digits_start] == b'.') {
        return (0.0, 0);
    }
    let mut end = i;
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        let exp_digits = j;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_digits {
            end = j;
        }
    }
    (text[start..end].parse().unwrap_or(0.0), end)
}

impl Value {
    fn num(&self) -> f64 {
        match self {
            Value::Num(n) => *n,
            Value::Str(s) | Value::StrNum(s) => leading_number(s).0,
        }
    }

    fn str(&self) -> String {
        match self {
            Value::Num(n) => number_text(*n),
            Value::Str(s) | Value::StrNum(s) => s.clone(),
        }
    }

    fn truthy(&self) -> bool {
        match self {
            Value::Num(n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::StrNum(s) => match looks_numeric(s) {
                Some(n) => n != 0.0,
                None => !s.is_empty(),
            },
        }
    }

    /// Numeric for comparisons: numbers, and input text that looks like a number.
    fn numeric(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Str(_) => None,
            Value::StrNum(s) => looks_numeric(s),
        }
    }
}

/// An awk number as text: integers as integers, the rest with `%.6g` (CONVFMT/OFMT).
fn number_text(n: f64) -> String {
    if n == n.trunc() && n.abs() < 1e16 {
        format!("{}", n as i64)
    } else if n.is_nan() {
        "nan".into()
    } else if n.is_infinite() {
        if n > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        format_g(n, 6, false, false)
    }
}

/// C's `%g` (`%#g` keeps trailing zeros).
fn format_g(n: f64, precision: usize, alternate: bool, upper: bool) -> String {
    let precision = precision.max(1);
    if n == 0.0 {
        return if alternate { format!("{:.*}", precision - 1, 0.0) } else { "0".into() };
    }
    let scientific = format!("{:.*e}", precision - 1, n);
    let exponent: i32 = scientific.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0);
    let mut text = if exponent < -4 || exponent >= precision as i32 {
        let (mantissa, _) = scientific.split_once('e').unwrap_or((&scientific, ""));
        let mantissa = if alternate { mantissa.to_string() } else { strip_zeros(mantissa) };
        format!("{mantissa}e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs())
    } else {
        let decimals = (precision as i32 - 1 - exponent).max(0) as usize;
        let fixed = format!("{n:.decimals$}");
        if alternate {
            fixed
        } else {
            strip_zeros(&fixed)
        }
    };
    if upper {
        text = text.to_uppercase();
    }
    text
}

fn strip_zeros(text: &str) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text.to_string()
    }
}

/// C's `%e`.
fn format_e(n: f64, precision: usize, upper: bool) -> String {
    let scientific = format!("{:.*e}", precision, n);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let text = format!("{mantissa}e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs());
    if upper {
        text.to_uppercase()
    } else {
        text
    }
}

/// `printf`/`sprintf`: `%d %i %o %x %X %u %c %s %e %E %f %F %g %G %%` with flags, width and
/// precision (also `*`).
fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        if i < chars.len() && chars[i] == '%' {
            out.push('%');
            i += 1;
            continue;
        }
        let mut flags = String::new();
        while i < chars.len() && "-+ #0".contains(chars[i]) {
            flags.push(chars[i]);
            i += 1;
        }
        let mut number = |i: &mut usize| -> Option<usize> {
            if *i < chars.len() && chars[*i] == '*' {
                *i += 1;
                return Some(args.next().map(|v| v.num()).unwrap_or(0.0).max(0.0) as usize);
            }
            let start = *i;
            while *i < chars.len() && chars[*i].is_ascii_digit() {
                *i += 1;
            }
            (start < *i).then(|| chars[start..*i].iter().collect::<String>().parse().unwrap_or(0))
        };
        let width = number(&mut i);
        let precision = if i < chars.len() && chars[i] == '.' {
            i += 1;
            Some(number(&mut i).unwrap_or(0))
        } else {
            None
        };
        let Some(&conversion) = chars.get(i) else {
            out.push('%');
            out.push_str(&flags);
            break;
        };
        i += 1;
        let arg = args.next().cloned().unwrap_or(Value::Str(String::new()));
        let left = flags.contains('-');
        let zero = flags.contains('0') && !left;
        let sign = |n: f64, body: String| -> String {
            if n < 0.0 || body.starts_with('-') {
                body
            } else if flags.contains('+') {
                format!("+{body}")
            } else if flags.contains(' ') {
                format!(" {body}")
            } else {
                body
            }
        };
        let (body, numeric) = match conversion {
            'd' | 'i' => {
                let n = arg.num().trunc();
                let mut digits = format!("{}", n.abs() as i64);
                if let Some(p) = precision {
                    digits = format!("{digits:0>p$}");
                }
                (sign(n, if n < 0.0 { format!("-{digits}") } else { digits }), precision.is_none())
            }
            'o' => (format!("{:o}", arg.num() as i64), true),
            'x' => (format!("{:x}", arg.num() as i64), true),
            'X' => (format!("{:X}", arg.num() as i64), true),
            'u' => (format!("{}", arg.num().max(0.0) as u64), true),
            'c' => {
                let text = match &arg {
                    Value::Num(n) => char::from_u32(*n as u32).map(String::from).unwrap_or_default(),
                    other => other.str().chars().next().map(String::from).unwrap_or_default(),
                };
                (text, false)
            }
            's' => {
                let mut text = arg.str();
                if let Some(p) = precision {
                    text = text.chars().take(p).collect();
                }
                (text, false)
            }
            'f' | 'F' => {
                let n = arg.num();
                (sign(n, format!("{:.*}", precision.unwrap_or(6), n)), true)
            }
            'e' | 'E' => {
                let n = arg.num();
                (sign(n, format_e(n, precision.unwrap_or(6), conversion == 'E')), true)
            }
            'g' | 'G' => {
                let n = arg.num();
                (sign(n, format_g(n, precision.unwrap_or(6), flags.contains('#'), conversion == 'G')), true)
            }
            other => {
                out.push('%');
                out.push(other);
                continue;
            }
        };
        let width = width.unwrap_or(0);
        let length = body.chars().count();
        if length >= width {
            out.push_str(&body);
        } else if left {
            out.push_str(&body);
            out.push_str(&" ".repeat(width - length));
        } else if zero && numeric {
            let (sign_part, digits) = match body.chars().next() {
                Some(c @ ('-' | '+' | ' ')) => (c.to_string(), body[1..].to_string()),
                _ => (String::new(), body.clone()),
            };
            out.push_str(&sign_part);
            out.push_str(&"0".repeat(width - length));
            out.push_str(&digits);
        } else {
            out.push_str(&" ".repeat(width - length));
            out.push_str(&body);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Lexer

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Str(String),
    Regex(String),
    Name(String),
    /// A builtin function name directly followed by `(` or used bare (`length`).
    Builtin(String),
    Keyword(&'static str),
    Punct(&'static str),
    Newline,
}

const KEYWORDS: &[&str] = &[
    "BEGIN", "END", "if", "else", "while", "for", "do", "in", "break", "continue", "next", "exit", "print",
    "printf", "delete", "getline", "function", "func", "return", "nextfile",
];
const BUILTINS: &[&str] = &[
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower", "toupper", "int",
    "sqrt", "exp", "log", "sin", "cos", "atan2", "system", "close", "srand", "rand", "fflush",
];
const PUNCT: &[&str] = &[
    "+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--", "&&", "||", "!~", ">>", "**",
    "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<", "|", "?", ":", "~",
    "$", "=",
];

fn lex(source: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' || c == '\t' || c == '\r' {
            i += 1;
            continue;
        }
        if c == '\\' && chars.get(i + 1) == Some(&'\n') {
            i += 2;
            continue;
        }
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '\n' {
            tokens.push(Token::Newline);
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            let rest: String = chars[i..].iter().collect();
            let (value, used) = leading_number(&rest);
            tokens.push(Token::Number(value));
            i += rest[..used].chars().count().max(1);
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if let Some(keyword) = KEYWORDS.iter().find(|k| **k == word) {
                tokens.push(Token::Keyword(keyword));
            } else if BUILTINS.contains(&word.as_str()) {
                tokens.push(Token::Builtin(word));
            } else {
                tokens.push(Token::Name(word));
            }
            continue;
        }
        if c == '"' {
            i += 1;
            let mut text = String::new();
            loop {
                let Some(&d) = chars.get(i) else {
                    return Err("runaway string constant".into());
                };
                i += 1;
                match d {
                    '"' => break,
                    '\n' => return Err("newline in string".into()),
                    '\\' => {
                        let Some(&e) = chars.get(i) else { break };
                        i += 1;
                        let unescaped = match e {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            '\\' => '\\',
                            '"' => '"',
                            '/' => '/',
                            'a' => '\x07',
                            'b' => '\x08',
                            'f' => '\x0c',
                            'v' => '\x0b',
                            other => {
                                text.push('\\');
                                other
                            }
                        };
                        text.push(unescaped);
                    }
                    d => text.push(d),
                }
            }
            tokens.push(Token::Str(text));
            continue;
        }
        let operand_before = matches!(
            tokens.last(),
            Some(Token::Number(_) | Token::Str(_) | Token::Name(_) | Token::Builtin(_) | Token::Regex(_))
                | Some(Token::Punct(")" | "]" | "$" | "++" | "--"))
        );
        if c == '/' && !operand_before {
            i += 1;
            let mut text = String::new();
            loop {
                let Some(&d) = chars.get(i) else {
                    return Err("runaway regular expression".into());
                };
                i += 1;
                match d {
                    '/' => break,
                    '\n' => return Err("newline in regex".into()),
                    '\\' if chars.get(i) == Some(&'/') => {
                        text.push('/');
                        i += 1;
                    }
                    '\\' => {
                        text.push('\\');
                        if let Some(&e) = chars.get(i) {
                            text.push(e);
                            i += 1;
                        }
                    }
                    d => text.push(d),
                }
            }
            tokens.push(Token::Regex(text));
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
        let Some(punct) = PUNCT.iter().find(|p| rest.starts_with(**p)) else {
            return Err(format!("syntax error at source line 1: unexpected character '{c}'"));
        };
        tokens.push(Token::Punct(if *punct == "**" { "^" } else { punct }));
        i += punct.len();
    }
    Ok(tokens)
}

// ---------------------------------------------------------------------------------------------
// Syntax tree

#[derive(Debug, Clone)]
enum Expr {
    Num(f64),
    Str(String),
    Regex(usize),
    Var(String),
    Field(Box<Expr>),
    Index(String, Box<Expr>),
    In(Box<Expr>, String),
    Assign(Box<Expr>, Option<&'static str>, Box<Expr>),
    Incr { target: Box<Expr>, delta: f64, prefix: bool },
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Match(bool, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
    Group(Box<Expr>),
}

#[derive(Debug, Clone)]
enum Stmt {
    Print { args: Vec<Expr>, formatted: bool, to: Option<(bool, Expr)> },
    Expr(Expr),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(Option<Box<Stmt>>, Option<Expr>, Option<Box<Stmt>>, Box<Stmt>),
    ForIn(String, String, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    Exit(Option<Expr>),
    Break,
    Continue,
    Delete(String, Option<Expr>),
}

#[derive(Debug, Clone)]
enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    regexes: Vec<String>,
}

type Parsed<T> = Result<T, String>;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Token::Punct(q)) if *q == p)
    }

    fn is_keyword(&self, k: &str) -> bool {
        matches!(self.peek(), Some(Token::Keyword(q)) if *q == k)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        if self.is_punct(p) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, p: &str) -> Parsed<()> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn unexpected(&self) -> String {
        match self.peek() {
            None => "syntax error: unexpected end of program".into(),
            Some(Token::Keyword(k))
                if matches!(*k, "getline" | "function" | "func" | "return" | "nextfile") =>
            {
                format!("`{k}` is not supported by this console's awk")
            }
            Some(token) => format!("syntax error at or near {}", describe(token)),
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Token::Newline)) {
            self.at += 1;
        }
    }

    fn skip_terminators(&mut self) {
        while matches!(self.peek(), Some(Token::Newline) | Some(Token::Punct(";"))) {
            self.at += 1;
        }
    }

    fn program(&mut self) -> Parsed<Vec<(Pattern, Option<Vec<Stmt>>)>> {
        let mut items = Vec::new();
        self.skip_terminators();
        while self.peek().is_some() {
            let pattern = if self.is_keyword("BEGIN") {
                self.at += 1;
                Pattern::Begin
            } else if self.is_keyword("END") {
                self.at += 1;
                Pattern::End
            } else if self.is_punct("{") {
                Pattern::All
            } else {
                Pattern::Expr(self.expr(false)?)
            };
            if self.is_punct(",") {
                return Err("range patterns (p1, p2) are not supported by this console's awk".into());
            }
            let action = if self.is_punct("{") {
                Some(self.block()?)
            } else if matches!(pattern, Pattern::Begin | Pattern::End) {
                return Err(self.unexpected());
            } else {
                None
            };
            items.push((pattern, action));
            self.skip_terminators();
        }
        Ok(items)
    }

    fn block(&mut self) -> Parsed<Vec<Stmt>> {
        self.expect("{")?;
        let mut statements = Vec::new();
        loop {
            self.skip_terminators();
            if self.eat_punct("}") {
                return Ok(statements);
            }
            statements.push(self.statement()?);
        }
    }

    fn end_simple(&mut self) -> Parsed<()> {
        match self.peek() {
            Some(Token::Newline) | Some(Token::Punct(";")) => {
                self.at += 1;
                Ok(())
            }
            Some(Token::Punct("}")) | None => Ok(()),
            _ => Err(self.unexpected()),
        }
    }

    fn statement(&mut self) -> Parsed<Stmt> {
        if self.is_punct("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        let Some(token) = self.peek().cloned() else { return Err(self.unexpected()) };
        match token {
            Token::Keyword("if") => {
                self.at += 1;
                self.expect("(")?;
                let condition = self.expr(false)?;
                self.expect(")")?;
                self.skip_newlines();
                let then = self.statement()?;
                let save = self.at;
                self.skip_terminators();
                if self.is_keyword("else") {
                    self.at += 1;
                    self.skip_newlines();
                    let otherwise = self.statement()?;
                    return Ok(Stmt::If(condition, Box::new(then), Some(Box::new(otherwise))));
                }
                self.at = save;
                Ok(Stmt::If(condition, Box::new(then), None))
            }
            Token::Keyword("while") => {
                self.at += 1;
                self.expect("(")?;
                let condition = self.expr(false)?;
                self.expect(")")?;
                if self.is_punct(";") {
                    self.at += 1;
                    return Ok(Stmt::While(condition, Box::new(Stmt::Block(Vec::new()))));
                }
                self.skip_newlines();
                Ok(Stmt::While(condition, Box::new(self.statement()?)))
            }
            Token::Keyword("do") => {
                self.at += 1;
                self.skip_newlines();
                let body = self.statement()?;
                self.skip_terminators();
                if !self.is_keyword("while") {
                    return Err(self.unexpected());
                }
                self.at += 1;
                self.expect("(")?;
                let condition = self.expr(false)?;
                self.expect(")")?;
                self.end_simple()?;
                Ok(Stmt::Do(Box::new(body), condition))
            }
            Token::Keyword("for") => {
                self.at += 1;
                self.expect("(")?;
                if let (Some(Token::Name(var)), Some(Token::Keyword("in")), Some(Token::Name(array))) = (
                    self.tokens.get(self.at).cloned(),
                    self.tokens.get(self.at + 1).cloned(),
                    self.tokens.get(self.at + 2).cloned(),
                ) {
                    if matches!(self.tokens.get(self.at + 3), Some(Token::Punct(")"))) {
                        self.at += 4;
                        self.skip_newlines();
                        return Ok(Stmt::ForIn(var, array, Box::new(self.statement()?)));
                    }
                }
                let init = if self.is_punct(";") { None } else { Some(Box::new(self.simple()?)) };
                self.expect(";")?;
                self.skip_newlines();
                let condition = if self.is_punct(";") { None } else { Some(self.expr(false)?) };
                self.expect(";")?;
                self.skip_newlines();
                let step = if self.is_punct(")") { None } else { Some(Box::new(self.simple()?)) };
                self.expect(")")?;
                if self.is_punct(";") {
                    self.at += 1;
                    return Ok(Stmt::For(init, condition, step, Box::new(Stmt::Block(Vec::new()))));
                }
                self.skip_newlines();
                Ok(Stmt::For(init, condition, step, Box::new(self.statement()?)))
            }
            Token::Punct(";") => {
                self.at += 1;
                Ok(Stmt::Block(Vec::new()))
            }
            _ => {
                let statement = self.simple()?;
                self.end_simple()?;
                Ok(statement)
            }
        }
    }

    fn simple(&mut self) -> Parsed<Stmt> {
        let Some(token) = self.peek().cloned() else { return Err(self.unexpected()) };
        Ok(match token {
            Token::Keyword(k @ ("print" | "printf")) => {
                self.at += 1;
                let mut args = Vec::new();
                let grouped = self.is_punct("(") && self.print_parenthesised();
                if grouped {
                    self.at += 1;
                    args = self.expr_list(false)?;
                    self.expect(")")?;
                } else if !self.at_print_end() {
                    args = self.expr_list(true)?;
                }
                let to = if self.eat_punct(">") {
                    Some((false, self.concat(true)?))
                } else if self.eat_punct(">>") {
                    Some((true, self.concat(true)?))
                } else if self.is_punct("|") {
                    return Err("print | command is not supported by this console's awk".into());
                } else {
                    None
                };
                if k == "printf" && args.is_empty() {
                    return Err("printf: no format".into());
                }
                Stmt::Print { args, formatted: k == "printf", to }
            }
            Token::Keyword("next") => {
                self.at += 1;
                Stmt::Next
            }
            Token::Keyword("exit") => {
                self.at += 1;
                let code = if self.at_print_end() { None } else { Some(self.expr(false)?) };
                Stmt::Exit(code)
            }
            Token::Keyword("break") => {
                self.at += 1;
                Stmt::Break
            }
            Token::Keyword("continue") => {
                self.at += 1;
                Stmt::Continue
            }
            Token::Keyword("delete") => {
                self.at += 1;
                let Some(Token::Name(name)) = self.peek().cloned() else { return Err(self.unexpected()) };
                self.at += 1;
                let key = if self.eat_punct("[") {
                    let key = self.subscript()?;
                    self.expect("]")?;
                    Some(key)
                } else {
                    None
                };
                Stmt::Delete(name, key)
            }
            _ => Stmt::Expr(self.expr(false)?),
        })
    }

    /// Whether `print (a, b)` groups its whole argument list (the `)` is followed by the end).
    fn print_parenthesised(&self) -> bool {
        let mut depth = 0;
        for (offset, token) in self.tokens[self.at..].iter().enumerate() {
            match token {
                Token::Punct("(") => depth += 1,
                Token::Punct(")") => {
                    depth -= 1;
                    if depth == 0 {
                        return matches!(
                            self.tokens.get(self.at + offset + 1),
                            None | Some(Token::Newline) | Some(Token::Punct(";" | "}" | ">" | ">>" | "|"))
                        );
                    }
                }
                _ => {}
            }
        }
        false
    }

    fn at_print_end(&self) -> bool {
        matches!(self.peek(), None | Some(Token::Newline) | Some(Token::Punct(";" | "}" | ">" | ">>" | "|")))
    }

    fn expr_list(&mut self, no_gt: bool) -> Parsed<Vec<Expr>> {
        let mut list = vec![self.expr(no_gt)?];
        while self.eat_punct(",") {
            self.skip_newlines();
            list.push(self.expr(no_gt)?);
        }
        Ok(list)
    }

    fn subscript(&mut self) -> Parsed<Expr> {
        // `a[i, j]` joins with SUBSEP.
        let parts = self.expr_list(false)?;
        let mut iter = parts.into_iter();
        let mut key = iter.next().ok_or_else(|| self.unexpected())?;
        for part in iter {
            key = Expr::Concat(
                Box::new(Expr::Concat(Box::new(key), Box::new(Expr::Var("SUBSEP".into())))),
                Box::new(part),
            );
        }
        Ok(key)
    }

    fn expr(&mut self, no_gt: bool) -> Parsed<Expr> {
        self.ternary(no_gt)
    }

    fn ternary(&mut self, no_gt: bool) -> Parsed<Expr> {
        let condition = self.or(no_gt)?;
        if self.eat_punct("?") {
            self.skip_newlines();
            let then = self.ternary(no_gt)?;
            self.skip_newlines();
            self.expect(":")?;
            self.skip_newlines();
            let otherwise = self.ternary(no_gt)?;
            return Ok(Expr::Cond(Box::new(condition), Box::new(then), Box::new(otherwise)));
        }
        if let Some(Token::Punct(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^="))) = self.peek().cloned()
        {
            if matches!(condition, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
                self.at += 1;
                self.skip_newlines();
                let value = self.ternary(no_gt)?;
                let op = if op == "=" { None } else { Some(&op[..1]) };
                let op: Option<&'static str> = op.map(|o| match o {
                    "+" => "+",
                    "-" => "-",
                    "*" => "*",
                    "/" => "/",
                    "%" => "%",
                    _ => "^",
                });
                return Ok(Expr::Assign(Box::new(condition), op, Box::new(value)));
            }
        }
        Ok(condition)
    }

    fn or(&mut self, no_gt: bool) -> Parsed<Expr> {
        let mut left = self.and(no_gt)?;
        while self.eat_punct("||") {
            self.skip_newlines();
            left = Expr::Or(Box::new(left), Box::new(self.and(no_gt)?));
        }
        Ok(left)
    }

    fn and(&mut self, no_gt: bool) -> Parsed<Expr> {
        let mut left = self.in_expr(no_gt)?;
        while self.eat_punct("&&") {
            self.skip_newlines();
            left = Expr::And(Box::new(left), Box::new(self.in_expr(no_gt)?));
        }
        Ok(left)
    }

    fn in_expr(&mut self, no_gt: bool) -> Parsed<Expr> {
        let mut left = self.matching(no_gt)?;
        while self.is_keyword("in") {
            self.at += 1;
            let Some(Token::Name(array)) = self.peek().cloned() else { return Err(self.unexpected()) };
            self.at += 1;
            left = Expr::In(Box::new(left), array);
        }
        Ok(left)
    }

    fn matching(&mut self, no_gt: bool) -> Parsed<Expr> {
        let mut left = self.comparison(no_gt)?;
        loop {
            let negated = if self.eat_punct("~") {
                false
            } else if self.eat_punct("!~") {
                true
            } else {
                return Ok(left);
            };
            left = Expr::Match(negated, Box::new(left), Box::new(self.comparison(no_gt)?));
        }
    }

    fn comparison(&mut self, no_gt: bool) -> Parsed<Expr> {
        let left = self.concat(no_gt)?;
        let op = match self.peek() {
            Some(Token::Punct(op @ ("<" | "<=" | "==" | "!=" | ">="))) => *op,
            Some(Token::Punct(">")) if !no_gt => ">",
            _ => return Ok(left),
        };
        self.at += 1;
        let right = self.concat(no_gt)?;
        Ok(Expr::Binary(op, Box::new(left), Box::new(right)))
    }

    fn starts_operand(&self) -> bool {
        match self.peek() {
            Some(Token::Number(_) | Token::Str(_) | Token::Regex(_) | Token::Name(_) | Token::Builtin(_)) => {
                true
            }
            Some(Token::Punct(p)) => matches!(*p, "$" | "(" | "!" | "-" | "+" | "++" | "--"),
            _ => false,
        }
    }

    fn concat(&mut self, no_gt: bool) -> Parsed<Expr> {
        let mut left = self.additive()?;
        // Juxtaposition concatenates; `a -1` is subtraction, so `-`/`+` do not start one here.
        while self.starts_operand() && !self.is_punct("-") && !self.is_punct("+") && !self.is_keyword("in") {
            let _ = no_gt;
            let right = self.additive()?;
            left = Expr::Concat(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn additive(&mut self) -> Parsed<Expr> {
        let mut left = self.multiplicative()?;
        loop {
            let op = if self.is_punct("+") {
                "+"
            } else if self.is_punct("-") {
                "-"
            } else {
                return Ok(left);
            };
            self.at += 1;
            left = Expr::Binary(op, Box::new(left), Box::new(self.multiplicative()?));
        }
    }

    fn multiplicative(&mut self) -> Parsed<Expr> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Token::Punct(op @ ("*" | "/" | "%"))) => *op,
                _ => return Ok(left),
            };
            self.at += 1;
            left = Expr::Binary(op, Box::new(left), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Parsed<Expr> {
        if self.eat_punct("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat_punct("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat_punct("+") {
            return Ok(Expr::Binary("+", Box::new(Expr::Num(0.0)), Box::new(self.unary()?)));
        }
        self.power()
    }

    fn power(&mut self) -> Parsed<Expr> {
        let base = self.postfix()?;
        if self.eat_punct("^") {
            // Right-associative, and binds tighter than unary minus on its right.
            let exponent = self.unary_power()?;
            return Ok(Expr::Binary("^", Box::new(base), Box::new(exponent)));
        }
        Ok(base)
    }

    fn unary_power(&mut self) -> Parsed<Expr> {
        if self.eat_punct("-") {
            return Ok(Expr::Neg(Box::new(self.unary_power()?)));
        }
        self.power()
    }

    fn postfix(&mut self) -> Parsed<Expr> {
        if self.eat_punct("++") {
            let target = self.primary()?;
            return Ok(Expr::Incr { target: Box::new(target), delta: 1.0, prefix: true });
        }
        if self.eat_punct("--") {
            let target = self.primary()?;
            return Ok(Expr::Incr { target: Box::new(target), delta: -1.0, prefix: true });
        }
        let expr = self.primary()?;
        if matches!(expr, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
            if self.eat_punct("++") {
                return Ok(Expr::Incr { target: Box::new(expr), delta: 1.0, prefix: false });
            }
            if self.eat_punct("--") {
                return Ok(Expr::Incr { target: Box::new(expr), delta: -1.0, prefix: false });
            }
        }
        Ok(expr)
    }

    fn primary(&mut self) -> Parsed<Expr> {
        let Some(token) = self.peek().cloned() else { return Err(self.unexpected()) };
        self.at += 1;
        match token {
            Token::Number(n) => Ok(Expr::Num(n)),
            Token::Str(s) => Ok(Expr::Str(s)),
            Token::Regex(r) => {
                self.regexes.push(r);
                Ok(Expr::Regex(self.regexes.len() - 1))
            }
            Token::Punct("$") => {
                // `$` binds tighter than everything but grouping and increments.
                let inner = if self.eat_punct("++") {
                    Expr::Incr { target: Box::new(self.primary()?), delta: 1.0, prefix: true }
                } else if self.eat_punct("-") {
                    Expr::Neg(Box::new(self.primary()?))
                } else {
                    self.primary()?
                };
                Ok(Expr::Field(Box::new(inner)))
            }
            Token::Punct("(") => {
                let first = self.expr(false)?;
                if self.is_punct(",") {
                    // `(a, b) in arr`
                    let mut parts = vec![first];
                    while self.eat_punct(",") {
                        parts.push(self.expr(false)?);
                    }
                    self.expect(")")?;
                    if !self.is_keyword("in") {
                        return Err(self.unexpected());
                    }
                    let mut key = parts.remove(0);
                    for part in parts {
                        key = Expr::Concat(
                            Box::new(Expr::Concat(Box::new(key), Box::new(Expr::Var("SUBSEP".into())))),
                            Box::new(part),
                        );
                    }
                    return Ok(Expr::Group(Box::new(key)));
                }
                self.expect(")")?;
                Ok(Expr::Group(Box::new(first)))
            }
            Token::Name(name) => {
                if self.eat_punct("[") {
                    let key = self.subscript()?;
                    self.expect("]")?;
                    return Ok(Expr::Index(name, Box::new(key)));
                }
                if self.is_punct("(") {
                    return Err(format!("calling function {name}() is not supported by this console's awk"));
                }
                Ok(Expr::Var(name))
            }
            Token::Builtin(name) => {
                if matches!(name.as_str(), "system" | "close" | "fflush" | "srand" | "rand") {
                    return Err(format!("{name}() is not supported by this console's awk"));
                }
                if !self.is_punct("(") {
                    if name == "length" {
                        return Ok(Expr::Call(name, Vec::new()));
                    }
                    return Err(self.unexpected());
                }
                self.at += 1;
                let args = if self.is_punct(")") { Vec::new() } else { self.expr_list(false)? };
                self.expect(")")?;
                Ok(Expr::Call(name, args))
            }
            _ => {
                self.at -= 1;
                Err(self.unexpected())
            }
        }
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Number(n) => number_text(*n),
        Token::Str(s) => format!("\"{s}\""),
        Token::Regex(r) => format!("/{r}/"),
        Token::Name(n) | Token::Builtin(n) => n.clone(),
        Token::Keyword(k) => k.to_string(),
        Token::Punct(p) => p.to_string(),
        Token::Newline => "end of line".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Interpreter

/// How a statement ended.
enum Flow {
    Normal,
    Next,
    Exit,
    Break,
    Continue,
}

struct Machine<'io, 'a> {
    io: &'io mut UtilIo<'a>,
    vars: HashMap<String, Value>,
    arrays: HashMap<String, BTreeMap<String, Value>>,
    /// Insertion order of each array's keys, which `for (k in a)` follows (like mawk for small
    /// arrays; the order awk gives is unspecified).
    order: HashMap<String, Vec<String>>,
    regexes: Vec<Regex>,
    dynamic: HashMap<String, Regex>,
    record: String,
    fields: Vec<String>,
    exit_code: i32,
    error: Option<String>,
}

impl Machine<'_, '_> {
    fn var(&self, name: &str) -> Value {
        if name == "NF" {
            return Value::Num(self.fields.len() as f64);
        }
        self.vars.get(name).cloned().unwrap_or(Value::StrNum(String::new()))
    }

    fn str_var(&self, name: &str) -> String {
        self.var(name).str()
    }

    fn set_record(&mut self, text: &str) {
        self.record = text.to_string();
        self.fields = self.split(text, &self.str_var("FS"));
    }

    fn split(&mut self, text: &str, separator: &str) -> Vec<String> {
        if separator == " " {
            return text.split([' ', '\t', '\n']).filter(|f| !f.is_empty()).map(String::from).collect();
        }
        if text.is_empty() {
            return Vec::new();
        }
        if separator.chars().count() == 1 && separator != "\\" {
            return text.split(separator).map(String::from).collect();
        }
        match self.regex(separator) {
            Some(re) => re.split(text).map(String::from).collect(),
            None => vec![text.to_string()],
        }
    }

    fn regex(&mut self, source: &str) -> Option<Regex> {
        if let Some(re) = self.dynamic.get(source) {
            return Some(re.clone());
        }
        let compiled = pattern::translate(source, true).and_then(|t| pattern::compile(&t, false));
        match compiled {
            Ok(re) => {
                self.dynamic.insert(source.to_string(), re.clone());
                Some(re)
            }
            Err(message) => {
                self.fail(format!("regular expression /{source}/: {message}"));
                None
            }
        }
    }

    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(message);
        }
    }

    fn rebuild_record(&mut self) {
        let ofs = self.str_var("OFS");
        self.record = self.fields.join(&ofs);
    }

    fn field(&self, index: usize) -> Value {
        if index == 0 {
            return Value::StrNum(self.record.clone());
        }
        Value::StrNum(self.fields.get(index - 1).cloned().unwrap_or_default())
    }

    fn field_index(&mut self, expr: &Expr) -> Option<usize> {
        let n = self.eval(expr).num();
        if n < 0.0 {
            self.fail(format!("trying to access out of range field {}", n as i64));
            return None;
        }
        Some(n as usize)
    }

    fn assign(&mut self, target: &Expr, value: Value) {
        match target {
            Expr::Var(name) if name == "NF" => {
                let n = value.num().max(0.0) as usize;
                self.fields.resize(n, String::new());
                self.rebuild_record();
            }
            Expr::Var(name) => {
                self.vars.insert(name.clone(), value);
            }
            Expr::Field(index) => {
                let Some(i) = self.field_index(index) else { return };
                if i == 0 {
                    self.set_record(&value.str());
                } else {
                    if self.fields.len() < i {
                        self.fields.resize(i, String::new());
                    }
                    self.fields[i - 1] = value.str();
                    self.rebuild_record();
                }
            }
            Expr::Index(name, key) => {
                let key = self.eval(key).str();
                self.array_set(name, key, value);
            }
            Expr::Group(inner) => self.assign(inner, value),
            _ => {}
        }
    }

    fn array_set(&mut self, name: &str, key: String, value: Value) {
        let array = self.arrays.entry(name.to_string()).or_default();
        if !array.contains_key(&key) {
            self.order.entry(name.to_string()).or_default().push(key.clone());
        }
        array.insert(key, value);
    }

    fn array_get(&mut self, name: &str, key: String) -> Value {
        // Referencing an element creates it, as in awk.
        if !self.arrays.get(name).is_some_and(|a| a.contains_key(&key)) {
            self.array_set(name, key.clone(), Value::StrNum(String::new()));
        }
        self.arrays.get(name).and_then(|a| a.get(&key)).cloned().unwrap_or(Value::StrNum(String::new()))
    }

    fn eval(&mut self, expr: &Expr) -> Value {
        match expr {
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Regex(i) => {
                let matched = self.regexes[*i].is_match(&self.record);
                Value::Num(f64::from(u8::from(matched)))
            }
            Expr::Var(name) => self.var(name),
            Expr::Field(index) => match self.field_index(index) {
                Some(i) => self.field(i),
                None => Value::Str(String::new()),
            },
            Expr::Index(name, key) => {
                let key = self.eval(key).str();
                self.array_get(name, key)
            }
            Expr::In(key, name) => {
                let key = self.eval(key).str();
                Value::Num(f64::from(u8::from(self.arrays.get(name).is_some_and(|a| a.contains_key(&key)))))
            }
            Expr::Assign(target, op, value) => {
                let value = self.eval(value);
                let result = match op {
                    None => match value {
                        Value::StrNum(s) => Value::StrNum(s),
                        other => other,
                    },
                    Some(op) => {
                        let current = self.eval(target).num();
                        Value::Num(arithmetic(op, current, value.num()))
                    }
                };
                self.assign(target, result.clone());
                result
            }
            Expr::Incr { target, delta, prefix } => {
                let old = self.eval(target).num();
                self.assign(target, Value::Num(old + delta));
                Value::Num(if *prefix { old + delta } else { old })
            }
            Expr::Binary(op, left, right) => {
                let l = self.eval(left);
                let r = self.eval(right);
                match *op {
                    "<" | "<=" | ">" | ">=" | "==" | "!=" => {
                        let ordering = match (l.numeric(), r.numeric()) {
                            (Some(a), Some(b)) => a.partial_cmp(&b),
                            _ => Some(l.str().cmp(&r.str())),
                        };
                        let result = match ordering {
                            None => *op == "!=",
                            Some(o) => match *op {
                                "<" => o.is_lt(),
                                "<=" => o.is_le(),
                                ">" => o.is_gt(),
                                ">=" => o.is_ge(),
                                "==" => o.is_eq(),
                                _ => o.is_ne(),
                            },
                        };
                        Value::Num(f64::from(u8::from(result)))
                    }
                    op => {
                        let (a, b) = (l.num(), r.num());
                        if (op == "/" || op == "%") && b == 0.0 {
                            self.fail(if op == "/" {
                                "division by zero".into()
                            } else {
                                "division by zero in %".into()
                            });
                            return Value::Num(0.0);
                        }
                        Value::Num(arithmetic(op, a, b))
                    }
                }
            }
            Expr::Match(negated, left, right) => {
                let text = self.eval(left).str();
                let re = match right.as_ref() {
                    Expr::Regex(i) => Some(self.regexes[*i].clone()),
                    other => {
                        let source = self.eval(other).str();
                        self.regex(&source)
                    }
                };
                let matched = re.is_some_and(|re| re.is_match(&text));
                Value::Num(f64::from(u8::from(matched != *negated)))
            }
            Expr::And(left, right) => {
                let result = self.eval(left).truthy() && self.eval(right).truthy();
                Value::Num(f64::from(u8::from(result)))
            }
            Expr::Or(left, right) => {
                let result = self.eval(left).truthy() || self.eval(right).truthy();
                Value::Num(f64::from(u8::from(result)))
            }
            Expr::Not(inner) => Value::Num(f64::from(u8::from(!self.eval(inner).truthy()))),
            Expr::Neg(inner) => Value::Num(-self.eval(inner).num()),
            Expr::Concat(left, right) => {
                let mut text = self.eval(left).str();
                text.push_str(&self.eval(right).str());
                Value::Str(text)
            }
            Expr::Cond(condition, then, otherwise) => {
                if self.eval(condition).truthy() {
                    self.eval(then)
                } else {
                    self.eval(otherwise)
                }
            }
            Expr::Group(inner) => self.eval(inner),
            Expr::Call(name, args) => self.call(name, args),
        }
    }

    fn regex_arg(&mut self, expr: &Expr) -> Option<Regex> {
        match expr {
            Expr::Regex(i) => Some(self.regexes[*i].clone()),
            other => {
                let source = self.eval(other).str();
                self.regex(&source)
            }
        }
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> Value {
        let arity_error = |machine: &mut Self| {
            machine.fail(format!("function {name} called with {} args", args.len()));
            Value::Num(0.0)
        };
        match name {
            "length" => match args {
                [] => Value::Num(self.record.chars().count() as f64),
                [Expr::Var(array)] if self.arrays.contains_key(array) => {
                    Value::Num(self.arrays.get(array).map_or(0, BTreeMap::len) as f64)
                }
                [arg] => Value::Num(self.eval(arg).str().chars().count() as f64),
                _ => arity_error(self),
            },
            "substr" => {
                if !(2..=3).contains(&args.len()) {
                    return arity_error(self);
                }
                let text: Vec<char> = self.eval(&args[0]).str().chars().collect();
                let start = round_half_even(self.eval(&args[1]).num());
                let end = match args.get(2) {
                    Some(length) => start + round_half_even(self.eval(length).num()),
                    None => f64::INFINITY,
                };
                let from = start.max(1.0);
                let to = end.min(text.len() as f64 + 1.0);
                if to <= from {
                    return Value::Str(String::new());
                }
                Value::Str(text[(from as usize - 1)..(to as usize - 1)].iter().collect())
            }
            "index" => {
                if args.len() != 2 {
                    return arity_error(self);
                }
                let text = self.eval(&args[0]).str();
                let needle = self.eval(&args[1]).str();
                Value::Num(text.find(&needle).map_or(0, |at| text[..at].chars().count() + 1) as f64)
            }
            "split" => {
                let (Some(source), Some(Expr::Var(array))) = (args.first(), args.get(1)) else {
                    return arity_error(self);
                };
                let text = self.eval(source).str();
                let separator = match args.get(2) {
                    Some(Expr::Regex(i)) => {
                        let re = self.regexes[*i].clone();
                        let parts: Vec<String> = if text.is_empty() {
                            Vec::new()
                        } else {
                            re.split(&text).map(String::from).collect()
                        };
                        return self.fill_array(array, parts);
                    }
                    Some(other) => self.eval(other).str(),
                    None => self.str_var("FS"),
                };
                let parts = self.split(&text, &separator);
                self.fill_array(array, parts)
            }
            "sub" | "gsub" => {
                if !(2..=3).contains(&args.len()) {
                    return arity_error(self);
                }
                let Some(re) = self.regex_arg(&args[0]) else { return Value::Num(0.0) };
                let replacement = self.eval(&args[1]).str();
                let target = args.get(2).cloned().unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
                let text = self.eval(&target).str();
                let (result, count) = substitute(&re, &text, &replacement, name == "gsub");
                if count > 0 {
                    self.assign(&target, Value::Str(result));
                }
                Value::Num(count as f64)
            }
            "match" => {
                if args.len() != 2 {
                    return arity_error(self);
                }
                let text = self.eval(&args[0]).str();
                let found =
                    self.regex_arg(&args[1]).and_then(|re| re.find(&text).map(|m| (m.start(), m.end())));
                let (start, length) = match found {
                    Some((s, e)) => {
                        (text[..s].chars().count() as f64 + 1.0, text[s..e].chars().count() as f64)
                    }
                    None => (0.0, -1.0),
                };
                self.vars.insert("RSTART".into(), Value::Num(start));
                self.vars.insert("RLENGTH".into(), Value::Num(length));
                Value::Num(start)
            }
            "sprintf" => {
                if args.is_empty() {
                    return arity_error(self);
                }
                let values: Vec<Value> = args.iter().map(|a| self.eval(a)).collect();
                Value::Str(sprintf(&values[0].str(), &values[1..]))
            }
            "tolower" | "toupper" => {
                let [arg] = args else { return arity_error(self) };
                let text = self.eval(arg).str();
                Value::Str(if name == "tolower" { text.to_lowercase() } else { text.to_uppercase() })
            }
            "int" | "sqrt" | "exp" | "log" | "sin" | "cos" => {
                let [arg] = args else { return arity_error(self) };
                let n = self.eval(arg).num();
                Value::Num(match name {
                    "int" => n.trunc(),
                    "sqrt" => n.sqrt(),
                    "exp" => n.exp(),
                    "log" => n.ln(),
                    "sin" => n.sin(),
                    _ => n.cos(),
                })
            }
            "atan2" => {
                let [y, x] = args else { return arity_error(self) };
                let (y, x) = (self.eval(y).num(), self.eval(x).num());
                Value::Num(y.atan2(x))
            }
            _ => {
                self.fail(format!("function {name} is not supported by this console's awk"));
                Value::Num(0.0)
            }
        }
    }

    fn fill_array(&mut self, array: &str, parts: Vec<String>) -> Value {
        self.arrays.insert(array.to_string(), BTreeMap::new());
        self.order.insert(array.to_string(), Vec::new());
        let count = parts.len();
        for (i, part) in parts.into_iter().enumerate() {
            self.array_set(array, (i + 1).to_string(), Value::StrNum(part));
        }
        Value::Num(count as f64)
    }

    fn run_block(&mut self, statements: &[Stmt]) -> Flow {
        for statement in statements {
            let flow = self.run(statement);
            if !matches!(flow, Flow::Normal) || self.error.is_some() {
                return flow;
            }
        }
        Flow::Normal
    }

    fn run(&mut self, statement: &Stmt) -> Flow {
        match statement {
            Stmt::Print { args, formatted, to } => {
                let values: Vec<Value> = args.iter().map(|a| self.eval(a)).collect();
                let text = if *formatted {
                    sprintf(&values[0].str(), &values[1..])
                } else {
                    let mut line = if values.is_empty() {
                        self.record.clone()
                    } else {
                        let ofs = self.str_var("OFS");
                        values
                            .iter()
                            .map(|v| match v {
                                Value::Num(n) if *n != n.trunc() => format_g(*n, 6, false, false),
                                other => other.str(),
                            })
                            .collect::<Vec<_>>()
                            .join(&ofs)
                    };
                    line.push_str(&self.str_var("ORS"));
                    line
                };
                match to {
                    None => self.io.stdout.push_str(&text),
                    Some((append, file)) => {
                        let path = self.eval(file).str();
                        // The first `>` in a run truncates the file; later ones append, as awk keeps it open.
                        let key = format!("\u{0}open:{path}");
                        if *append || self.vars.contains_key(&key) {
                            self.io.fs.append(&path, &text);
                        } else {
                            self.io.fs.write(&path, &text);
                        }
                        self.vars.insert(key, Value::Num(1.0));
                    }
                }
                Flow::Normal
            }
            Stmt::Expr(expr) => {
                self.eval(expr);
                Flow::Normal
            }
            Stmt::If(condition, then, otherwise) => {
                if self.eval(condition).truthy() {
                    self.run(then)
                } else if let Some(otherwise) = otherwise {
                    self.run(otherwise)
                } else {
                    Flow::Normal
                }
            }
            Stmt::While(condition, body) => {
                let mut guard = 0u64;
                while self.eval(condition).truthy() && self.error.is_none() {
                    guard += 1;
                    if guard > 10_000_000 {
                        self.fail("loop ran ten million times; stopped".into());
                        break;
                    }
                    match self.run(body) {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return other,
                    }
                }
                Flow::Normal
            }
            Stmt::Do(body, condition) => {
                let mut guard = 0u64;
                loop {
                    guard += 1;
                    if guard > 10_000_000 {
                        self.fail("loop ran ten million times; stopped".into());
                        break;
                    }
                    match self.run(body) {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return other,
                    }
                    if !self.eval(condition).truthy() || self.error.is_some() {
                        break;
                    }
                }
                Flow::Normal
            }
            Stmt::For(init, condition, step, body) => {
                if let Some(init) = init {
                    self.run(init);
                }
                let mut guard = 0u64;
                while condition.as_ref().is_none_or(|c| self.eval(c).truthy()) && self.error.is_none() {
                    guard += 1;
                    if guard > 10_000_000 {
                        self.fail("loop ran ten million times; stopped".into());
                        break;
                    }
                    match self.run(body) {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return other,
                    }
                    if let Some(step) = step {
                        self.run(step);
                    }
                }
                Flow::Normal
            }
            Stmt::ForIn(var, array, body) => {
                let keys = self.order.get(array).cloned().unwrap_or_default();
                for key in keys {
                    if !self.arrays.get(array).is_some_and(|a| a.contains_key(&key)) {
                        continue;
                    }
                    self.vars.insert(var.clone(), Value::StrNum(key));
                    match self.run(body) {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return other,
                    }
                }
                Flow::Normal
            }
            Stmt::Block(statements) => self.run_block(statements),
            Stmt::Next => Flow::Next,
            Stmt::Exit(code) => {
                if let Some(code) = code {
                    self.exit_code = self.eval(code).num() as i32;
                }
                Flow::Exit
            }
            Stmt::Break => Flow::Break,
            Stmt::Continue => Flow::Continue,
            Stmt::Delete(name, key) => {
                match key {
                    Some(key) => {
                        let key = self.eval(key).str();
                        if let Some(array) = self.arrays.get_mut(name) {
                            array.remove(&key);
                        }
                        if let Some(order) = self.order.get_mut(name) {
                            order.retain(|k| *k != key);
                        }
                    }
                    None => {
                        self.arrays.remove(name);
                        self.order.remove(name);
                    }
                }
                Flow::Normal
            }
        }
    }
}

fn round_half_even(n: f64) -> f64 {
    let rounded = n.round();
    if (n - n.trunc()).abs() == 0.5 && rounded % 2.0 != 0.0 {
        rounded - n.signum()
    } else {
        rounded
    }
}

fn arithmetic(op: &str, a: f64, b: f64) -> f64 {
    match op {
        "+" => a + b,
        "-" => a - b,
        "*" => a * b,
        "/" => a / b,
        "%" => a % b,
        _ => a.powf(b),
    }
}

/// `sub`/`gsub`: `&` in the replacement is the match, `\&` a literal ampersand.
fn substitute(re: &Regex, text: &str, replacement: &str, global: bool) -> (String, usize) {
    let mut out = String::new();
    let mut last = 0;
    let mut count = 0;
    let mut at = 0;
    while at <= text.len() {
        let Some(m) = re.find_at(text, at) else { break };
        out.push_str(&text[last..m.start()]);
        let mut chars = replacement.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek() == Some(&'&') => {
                    chars.next();
                    out.push('&');
                }
                '\\' if chars.peek() == Some(&'\\') => {
                    chars.next();
                    out.push('\\');
                }
                '&' => out.push_str(m.as_str()),
                c => out.push(c),
            }
        }
        count += 1;
        last = m.end();
        if m.end() == m.start() {
            // An empty match: copy one character and go on after it.
            match text[m.end()..].chars().next() {
                Some(c) => {
                    out.push(c);
                    last = m.end() + c.len_utf8();
                    at = last;
                }
                None => break,
            }
        } else {
            at = m.end();
        }
        if !global {
            break;
        }
    }
    out.push_str(&text[last.min(text.len())..]);
    (out, count)
}

/// Backslash escapes in `-v` values and `-F`, as awk processes string literals.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some('/') => out.push('/'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `awk`.
pub fn awk(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let mut field_separator: Option<String> = None;
    let mut assignments: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    let usage = "usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]";
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            i += 1;
            break;
        }
        if !arg.starts_with('-') || arg == "-" {
            break;
        }
        let (flag, attached) = arg.split_at(2.min(arg.len()));
        let mut value = || -> Option<String> {
            if !attached.is_empty() {
                Some(attached.to_string())
            } else {
                i += 1;
                args.get(i).cloned()
            }
        };
        match flag {
            "-F" => match value() {
                Some(fs) => field_separator = Some(if fs == "t" { "\t".into() } else { unescape(&fs) }),
                None => {
                    io.stderr.push_str(&format!("awk: option requires an argument -- 'F'\n{usage}\n"));
                    return 2;
                }
            },
            "-v" => {
                match value().and_then(|a| a.split_once('=').map(|(k, v)| (k.to_string(), v.to_string()))) {
                    Some((name, v)) => assignments.push((name, unescape(&v))),
                    None => {
                        io.stderr.push_str(&format!("awk: improper assignment: -v\n{usage}\n"));
                        return 2;
                    }
                }
            }
            "-f" => {
                io.stderr.push_str("awk: -f progfile is not supported by this console's awk\n");
                return 2;
            }
            _ => {
                io.stderr.push_str(&format!("awk: not an option: {arg}\n{usage}\n"));
                return 2;
            }
        }
        i += 1;
    }
    let Some(source) = args.get(i) else {
        io.stderr.push_str(&format!("{usage}\n"));
        return 2;
    };
    let operands: Vec<String> = args[i + 1..].to_vec();
    let tokens = match lex(source) {
        Ok(tokens) => tokens,
        Err(message) => {
            io.stderr.push_str(&format!("awk: {message}\n"));
            return 2;
        }
    };
    let mut parser = Parser { tokens, at: 0, regexes: Vec::new() };
    let items = match parser.program() {
        Ok(items) => items,
        Err(message) => {
            io.stderr.push_str(&format!("awk: {message}\n awk: program: {source}\n"));
            return 2;
        }
    };
    let mut regexes = Vec::new();
    for source in &parser.regexes {
        match pattern::translate(source, true).and_then(|t| pattern::compile(&t, false)) {
            Ok(re) => regexes.push(re),
            Err(message) => {
                io.stderr.push_str(&format!("awk: regular expression /{source}/: {message}\n"));
                return 2;
            }
        }
    }
    let mut machine = Machine {
        io,
        vars: HashMap::new(),
        arrays: HashMap::new(),
        order: HashMap::new(),
        regexes,
        dynamic: HashMap::new(),
        record: String::new(),
        fields: Vec::new(),
        exit_code: 0,
        error: None,
    };
    for (name, value) in [("FS", " "), ("OFS", " "), ("ORS", "\n"), ("SUBSEP", "\x1c"), ("RS", "\n")] {
        machine.vars.insert(name.into(), Value::Str(value.into()));
    }
    machine.vars.insert("NR".into(), Value::Num(0.0));
    machine.vars.insert("FNR".into(), Value::Num(0.0));
    if let Some(fs) = field_separator {
        machine.vars.insert("FS".into(), Value::Str(fs));
    }
    for (name, value) in assignments {
        machine.vars.insert(name, Value::StrNum(value));
    }
    let status = execute(&mut machine, &items, &operands);
    if let Some(message) = machine.error.take() {
        machine.io.stderr.push_str(&format!("awk: {message}\n"));
        return 2;
    }
    status
}

fn execute(
    machine: &mut Machine<'_, '_>,
    items: &[(Pattern, Option<Vec<Stmt>>)],
    operands: &[String],
) -> i32 {
    let mut exiting = false;
    for (pattern, action) in items {
        if let (Pattern::Begin, Some(action)) = (pattern, action) {
            if matches!(machine.run_block(action), Flow::Exit) {
                exiting = true;
                break;
            }
            if machine.error.is_some() {
                return 2;
            }
        }
    }
    let has_main = items.iter().any(|(p, _)| matches!(p, Pattern::All | Pattern::Expr(_)));
    let has_end = items.iter().any(|(p, _)| matches!(p, Pattern::End));
    let mut status = 0;
    if !exiting && (has_main || has_end) {
        let files: Vec<String> = operands.iter().filter(|o| !o.contains('=')).cloned().collect();
        let files = if files.is_empty() { vec!["-".to_string()] } else { files };
        'files: for file in files {
            let text = match machine.io.read(&file) {
                Ok(text) => text,
                Err(_) => {
                    machine
                        .io
                        .stderr
                        .push_str(&format!("awk: cannot open \"{file}\" (No such file or directory)\n"));
                    status = 2;
                    continue;
                }
            };
            machine.vars.insert(
                "FILENAME".into(),
                Value::Str(if file == "-" { String::new() } else { file.clone() }),
            );
            machine.vars.insert("FNR".into(), Value::Num(0.0));
            for line in split_lines(&text) {
                let nr = machine.var("NR").num() + 1.0;
                machine.vars.insert("NR".into(), Value::Num(nr));
                let fnr = machine.var("FNR").num() + 1.0;
                machine.vars.insert("FNR".into(), Value::Num(fnr));
                machine.set_record(line);
                for (pattern, action) in items {
                    let selected = match pattern {
                        Pattern::Begin | Pattern::End => continue,
                        Pattern::All => true,
                        Pattern::Expr(expr) => machine.eval(expr).truthy(),
                    };
                    if machine.error.is_some() {
                        return 2;
                    }
                    if !selected {
                        continue;
                    }
                    let flow = match action {
                        Some(action) => machine.run_block(action),
                        None => {
                            let mut line = machine.record.clone();
                            line.push_str(&machine.str_var("ORS"));
                            machine.io.stdout.push_str(&line);
                            Flow::Normal
                        }
                    };
                    if machine.error.is_some() {
                        return 2;
                    }
                    match flow {
                        Flow::Next => break,
                        Flow::Exit => {
                            exiting = true;
                            break 'files;
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    let _ = exiting;
    // END runs after `exit` in the main rules too (but an `exit` inside END ends it).
    for (pattern, action) in items {
        if let (Pattern::End, Some(action)) = (pattern, action) {
            if matches!(machine.run_block(action), Flow::Exit) {
                break;
            }
        }
    }
    if machine.exit_code != 0 {
        machine.exit_code
    } else {
        status
    }
}
