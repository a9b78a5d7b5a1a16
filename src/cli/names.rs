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
    let mut out = Vec::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < s.len() {
        if s[i] != '\n' && i + 2 < s.len() && s[i + 1].is_ascii_uppercase() && s[i + 2].is_ascii_lowercase() {
            out.push(s[i]);
            out.push('-');
            out.push(s[i + 1]);
            let mut j = i + 2;
            while j < s.len() && s[j].is_ascii_lowercase() {
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

/// `([a-z])([0-9]+)` → `\1-\2`
fn number_cap(s: &[char]) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len() + 4);
    let mut i = 0;
    while i < s.len() {
        if s[i].is_ascii_lowercase() && i + 1 < s.len() && s[i + 1].is_ascii_digit() {
            out.push(s[i]);
            out.push('-');
            let mut j = i + 1;
            while j < s.len() && s[j].is_ascii_digit() {
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

/// `([a-z0-9])([A-Z])` → `\1-\2`
fn end_cap(s: &[char]) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < s.len() {
        if (s[i].is_ascii_lowercase() || s[i].is_ascii_digit())
            && i + 1 < s.len()
            && s[i + 1].is_ascii_uppercase()
        {
            out.push(s[i]);
            out.push('-');
            out.push(s[i + 1]);
            i += 2;
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
