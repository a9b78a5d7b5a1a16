//! Program text to tokens. Separate from the parser because awk's lexing depends on the token
//! before (`/` starts a regex only where an operand may start) and on newlines that end
//! statements, which the grammar then need not know about.

use super::value::leading_number;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
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

pub(super) const KEYWORDS: &[&str] = &[
    "BEGIN", "END", "if", "else", "while", "for", "do", "in", "break", "continue", "next", "exit", "print",
    "printf", "delete", "getline", "function", "func", "return", "nextfile",
];
pub(super) const BUILTINS: &[&str] = &[
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower", "toupper", "int",
    "sqrt", "exp", "log", "sin", "cos", "atan2", "system", "close", "srand", "rand", "fflush",
];
pub(super) const PUNCT: &[&str] = &[
    "+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--", "&&", "||", "!~", ">>", "**",
    "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<", "|", "?", ":", "~",
    "$", "=",
];

pub(super) fn lex(source: &str) -> Result<Vec<Token>, String> {
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
                        let unescaped = match (escaped(e), e) {
                            (Some(unescaped), _) => unescaped,
                            (None, 'a') => '\x07',
                            (None, 'b') => '\x08',
                            (None, 'f') => '\x0c',
                            (None, 'v') => '\x0b',
                            (None, other) => {
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

/// The character `\c` stands for in awk text, for the escapes that string literals, `-v` values
/// and `-F` share; `None` for any other `c`.
pub(super) fn escaped(c: char) -> Option<char> {
    match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        '\\' => Some('\\'),
        '"' => Some('"'),
        '/' => Some('/'),
        _ => None,
    }
}
