//! How the AWS CLI turns model names into command-line names (botocore's `xform_name`).
//!
//! Operations and members are looked up by transforming the model name and comparing, rather
//! than by reversing the kebab-case name, so irregular names (`enableECSManagedTags` →
//! `--enable-ecs-managed-tags`) come out exactly as the CLI spells them.

/// botocore `xform_name(name, '-')`: `DescribeDaemonDeployments` → `describe-daemon-deployments`.
pub fn kebab_case(name: &str) -> String {
    if name.contains('-') {
        return name.to_string();
    }
    let mut chars: Vec<char> = name.chars().collect();
    // `[A-Z]{2,}s$` (ARNs, ACLs) becomes `-arns`.
    if chars.last() == Some(&'s') {
        let upper_run = chars[..chars.len() - 1].iter().rev().take_while(|c| c.is_ascii_uppercase()).count();
        if upper_run >= 2 {
            let split = chars.len() - 1 - upper_run;
            let mut head: Vec<char> = chars[..split].to_vec();
            head.push('-');
            head.extend(chars[split..].iter().map(|c| c.to_ascii_lowercase()));
            chars = head;
        }
    }
    let first = first_cap(&chars);
    let numbers = number_cap(&first);
    let end = end_cap(&numbers);
    end.into_iter().collect::<String>().to_lowercase()
}

/// `(.)([A-Z][a-z]+)` → `\1-\2`
fn first_cap(s: &[char]) -> Vec<char> {
    dash_before(s, |c| c != '\n', |c| c.is_ascii_uppercase(), |c| c.is_ascii_lowercase(), 1)
}

/// `([a-z])([0-9]+)` → `\1-\2`
fn number_cap(s: &[char]) -> Vec<char> {
    dash_before(s, |c| c.is_ascii_lowercase(), |c| c.is_ascii_digit(), |c| c.is_ascii_digit(), 0)
}

/// `([a-z0-9])([A-Z])` → `\1-\2`
fn end_cap(s: &[char]) -> Vec<char> {
    dash_before(s, |c| c.is_ascii_lowercase() || c.is_ascii_digit(), |c| c.is_ascii_uppercase(), |_| false, 0)
}

/// The regex substitution `(before)(head tail{min_tail,})` → `\1-\2`, left to right without
/// overlapping matches, as Python's `re.sub` applies botocore's three patterns.
fn dash_before(
    s: &[char],
    before: fn(char) -> bool,
    head: fn(char) -> bool,
    tail: fn(char) -> bool,
    min_tail: usize,
) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < s.len() {
        let matched = before(s[i])
            && i + 1 + min_tail < s.len()
            && head(s[i + 1])
            && s[i + 2..i + 2 + min_tail].iter().all(|&c| tail(c));
        if matched {
            out.extend([s[i], '-', s[i + 1]]);
            let mut j = i + 2;
            while j < s.len() && tail(s[j]) {
                out.push(s[j]);
                j += 1;
            }
            i = j;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::kebab_case;

    #[test]
    fn matches_botocore_on_irregular_names() {
        assert_eq!(kebab_case("DescribeDaemonDeployments"), "describe-daemon-deployments");
        assert_eq!(kebab_case("enableECSManagedTags"), "enable-ecs-managed-tags");
        assert_eq!(kebab_case("capacityProviderArns"), "capacity-provider-arns");
        assert_eq!(kebab_case("RoleName"), "role-name");
        assert_eq!(kebab_case("vCpuCount"), "v-cpu-count");
        assert_eq!(kebab_case("memoryMiB"), "memory-mi-b");
        assert_eq!(kebab_case("ListARNs"), "list-arns");
    }
}
