//! Shell arithmetic (`$((…))`, `((…))`, `${V:offset}`): 64-bit integers with bash's operators and
//! precedence, variables by name, assignments. Hand-written: the expression language is small and
//! its variables live in the interpreter; no crate evaluates bash arithmetic without a shell.

/// Where the evaluator reads and writes variables.
pub trait Variables {
    fn get(&self, name: &str) -> Option<String>;
    fn set(&mut self, name: &str, value: String);
}

/// Evaluates `text`; the error is bash's message after `text: ` (e.g. `division by 0`).
pub fn evaluate(text: &str, vars: &mut dyn Variables) -> Result<i64, String> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Ok(0);
    }
    let mut parser = Eval { tokens, index: 0, vars, depth: 0, skip: 0 };
    let value = parser.expression()?;
    if let Some(token) = parser.tokens.get(parser.index) {
        return Err(format!("syntax error in expression (error token is \"{}\")", token.text()));
    }
    Ok(value)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(i64),
    Name(String),
    Op(&'static str),
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Number(n) => n.to_string(),
            Token::Name(name) => name.clone(),
            Token::Op(op) => (*op).to_string(),
        }
    }
}

const OPERATORS: &[&str] = &[
    "<<=", ">>=", "**", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=",
    "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "|", "^", "?", ":", "(",
    ")", ",",
];

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '#') {
                i += 1;
            }
            let literal: String = chars[start..i].iter().collect();
            tokens.push(Token::Number(number(&literal)?));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token::Name(chars[start..i].iter().collect()));
        } else {
            let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
            let Some(op) = OPERATORS.iter().find(|op| rest.starts_with(**op)) else {
                let tail: String = chars[i..].iter().collect();
                return Err(format!("syntax error: operand expected (error token is \"{tail}\")"));
            };
            tokens.push(Token::Op(op));
            i += op.chars().count();
        }
    }
    Ok(tokens)
}

fn number(literal: &str) -> Result<i64, String> {
    let invalid = || format!("{literal}: value too great for base (error token is \"{literal}\")");
    if let Some(hex) = literal.strip_prefix("0x").or_else(|| literal.strip_prefix("0X")) {
        return i64::from_str_radix(hex, 16).map_err(|_| invalid());
    }
    if let Some((base, digits)) = literal.split_once('#') {
        let base: u32 = base.parse().map_err(|_| invalid())?;
        if !(2..=36).contains(&base) {
            return Err(format!("{literal}: invalid arithmetic base (error token is \"{literal}\")"));
        }
        return i64::from_str_radix(digits, base).map_err(|_| invalid());
    }
    if literal.len() > 1 && literal.starts_with('0') {
        return i64::from_str_radix(&literal[1..], 8).map_err(|_| invalid());
    }
    literal.parse().map_err(|_| invalid())
}

/// Depth of parentheses, prefix operators and variables holding expressions.
const MAX_NESTING: usize = 200;

struct Eval<'a> {
    tokens: Vec<Token>,
    index: usize,
    vars: &'a mut dyn Variables,
    depth: usize,
    /// Above 0 inside the branch `&&`, `||` or `?:` does not take: parsed, not applied.
    skip: usize,
}

/// A value and, when it is a bare variable, its name (for assignments and `++`).
type Operand = (i64, Option<String>);

impl Eval<'_> {
    fn peek_op(&self) -> Option<&'static str> {
        match self.tokens.get(self.index) {
            Some(Token::Op(op)) => Some(op),
            _ => None,
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek_op() == Some(op) {
            self.index += 1;
            true
        } else {
            false
        }
    }

    fn variable(&mut self, name: &str) -> Result<i64, String> {
        let text = self.vars.get(name).unwrap_or_default();
        let text = text.trim();
        if text.is_empty() {
            return Ok(0);
        }
        if self.depth > MAX_NESTING {
            return Err(format!("{name}: expression recursion level exceeded"));
        }
        // A variable's value is itself an expression, as in bash.
        let tokens = tokenize(text)?;
        let mut inner =
            Eval { tokens, index: 0, vars: &mut *self.vars, depth: self.depth + 1, skip: self.skip };
        let value = inner.expression()?;
        Ok(value)
    }

    fn assign(&mut self, name: &str, value: i64) {
        if self.skip == 0 {
            self.vars.set(name, value.to_string());
        }
    }

    fn expression(&mut self) -> Result<i64, String> {
        let mut value = self.assignment()?;
        while self.eat(",") {
            value = self.assignment()?;
        }
        Ok(value)
    }

    fn assignment(&mut self) -> Result<i64, String> {
        if let (Some(Token::Name(name)), Some(Token::Op(op))) =
            (self.tokens.get(self.index).cloned(), self.tokens.get(self.index + 1).cloned())
        {
            let compound = ["=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^="];
            if compound.contains(&op) {
                self.index += 2;
                let right = self.assignment()?;
                let value = if op == "=" {
                    right
                } else {
                    let left = self.variable(&name)?;
                    binary(&op[..op.len() - 1], left, right)?
                };
                self.assign(&name, value);
                return Ok(value);
            }
        }
        self.ternary()
    }

    fn ternary(&mut self) -> Result<i64, String> {
        let condition = self.binary(0)?;
        if !self.eat("?") {
            return Ok(condition);
        }
        if condition == 0 {
            self.skip += 1;
        }
        let yes = self.assignment()?;
        if condition == 0 {
            self.skip -= 1;
        }
        if !self.eat(":") {
            return Err("syntax error in expression (error token is \":\")".into());
        }
        if condition != 0 {
            self.skip += 1;
        }
        let no = self.assignment()?;
        if condition != 0 {
            self.skip -= 1;
        }
        Ok(if condition != 0 { yes } else { no })
    }

    fn binary(&mut self, level: usize) -> Result<i64, String> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<", "<=", ">", ">="],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        if level == LEVELS.len() {
            return self.power();
        }
        let mut left = self.binary(level + 1)?;
        while let Some(op) = self.peek_op().filter(|op| LEVELS[level].contains(op)) {
            self.index += 1;
            let short = (op == "&&" && left == 0) || (op == "||" && left != 0);
            if short {
                self.skip += 1;
            }
            let right = self.binary(level + 1)?;
            if short {
                self.skip -= 1;
            }
            left = if self.skip > 0 { 0 } else { binary(op, left, right)? };
        }
        Ok(left)
    }

    fn power(&mut self) -> Result<i64, String> {
        let base = self.unary()?;
        if self.eat("**") {
            let exponent = self.power()?;
            if exponent < 0 {
                return Err("exponent less than 0".into());
            }
            return Ok(base.wrapping_pow(u32::try_from(exponent).unwrap_or(u32::MAX)));
        }
        Ok(base)
    }

    fn unary(&mut self) -> Result<i64, String> {
        // Nested parentheses and prefix operators recurse: a fuzzer's `((((…` must not overflow.
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err("expression nested too deeply".into());
        }
        let value = self.unary_inner();
        self.depth -= 1;
        value
    }

    fn unary_inner(&mut self) -> Result<i64, String> {
        for op in ["++", "--"] {
            if self.eat(op) {
                let Some(Token::Name(name)) = self.tokens.get(self.index).cloned() else {
                    return Err(format!("syntax error: operand expected (error token is \"{op}\")"));
                };
                self.index += 1;
                let value = self.variable(&name)? + if op == "++" { 1 } else { -1 };
                self.assign(&name, value);
                return Ok(value);
            }
        }
        if self.eat("-") {
            return Ok(self.unary()?.wrapping_neg());
        }
        if self.eat("+") {
            return self.unary();
        }
        if self.eat("!") {
            return Ok(i64::from(self.unary()? == 0));
        }
        if self.eat("~") {
            return Ok(!self.unary()?);
        }
        let (value, name) = self.primary()?;
        if let Some(name) = name {
            for op in ["++", "--"] {
                if self.eat(op) {
                    self.assign(&name, value + if op == "++" { 1 } else { -1 });
                }
            }
        }
        Ok(value)
    }

    fn primary(&mut self) -> Result<Operand, String> {
        match self.tokens.get(self.index).cloned() {
            Some(Token::Number(n)) => {
                self.index += 1;
                Ok((n, None))
            }
            Some(Token::Name(name)) => {
                self.index += 1;
                Ok((self.variable(&name)?, Some(name)))
            }
            Some(Token::Op("(")) => {
                self.index += 1;
                let value = self.expression()?;
                if !self.eat(")") {
                    return Err("syntax error: missing ')'".into());
                }
                Ok((value, None))
            }
            Some(token) => {
                let rest: Vec<String> = self.tokens[self.index..].iter().map(Token::text).collect();
                let _ = token;
                Err(format!("syntax error: operand expected (error token is \"{}\")", rest.join(" ")))
            }
            None => Err("syntax error: operand expected (error token is \"\")".into()),
        }
    }
}

fn binary(op: &str, left: i64, right: i64) -> Result<i64, String> {
    Ok(match op {
        "||" => i64::from(left != 0 || right != 0),
        "&&" => i64::from(left != 0 && right != 0),
        "|" => left | right,
        "^" => left ^ right,
        "&" => left & right,
        "==" => i64::from(left == right),
        "!=" => i64::from(left != right),
        "<" => i64::from(left < right),
        "<=" => i64::from(left <= right),
        ">" => i64::from(left > right),
        ">=" => i64::from(left >= right),
        "<<" => left.wrapping_shl(u32::try_from(right & 63).unwrap_or(0)),
        ">>" => left.wrapping_shr(u32::try_from(right & 63).unwrap_or(0)),
        "+" => left.wrapping_add(right),
        "-" => left.wrapping_sub(right),
        "*" => left.wrapping_mul(right),
        "/" | "%" if right == 0 => return Err("division by 0 (error token is \"0\")".into()),
        "/" => left.wrapping_div(right),
        "%" => left.wrapping_rem(right),
        _ => return Err(format!("syntax error: invalid operator '{op}'")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    impl Variables for BTreeMap<String, String> {
        fn get(&self, name: &str) -> Option<String> {
            BTreeMap::get(self, name).cloned()
        }
        fn set(&mut self, name: &str, value: String) {
            self.insert(name.to_string(), value);
        }
    }

    #[test]
    fn precedence_variables_and_assignment() {
        let mut vars = BTreeMap::new();
        vars.insert("A".to_string(), "6".to_string());
        assert_eq!(evaluate("1 + 2 * 3 ** 2", &mut vars), Ok(19));
        assert_eq!(evaluate("A / 4 + A % 4", &mut vars), Ok(3));
        assert_eq!(evaluate("B = A * 2, B += 1", &mut vars), Ok(13));
        assert_eq!(vars["B"], "13");
        assert_eq!(evaluate("A > 5 ? 1 : 0", &mut vars), Ok(1));
        assert_eq!(evaluate("0x10 + 010 + 2#11", &mut vars), Ok(27));
        assert!(evaluate("1 / 0", &mut vars).unwrap_err().contains("division by 0"));
        assert_eq!(evaluate("0 && (C = 1)", &mut vars), Ok(0));
        assert!(!vars.contains_key("C"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let mut vars = BTreeMap::new();
        let deep = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
        assert!(evaluate(&deep, &mut vars).unwrap_err().contains("nested too deeply"));
        assert!(evaluate(&"-".repeat(5000), &mut vars).is_err());
        assert_eq!(evaluate(&format!("{}1{}", "(".repeat(50), ")".repeat(50)), &mut vars), Ok(1));
    }
}
