//! Durations as people write them in a config: `500ms`, `30s`, `15m`, `6h`, `1d`, `1h30m`.

use std::time::Duration;

/// Parses a duration: one or more `<whole number><unit>` parts, units `ms`, `s`, `m`, `h`, `d`;
/// a bare `0` is zero. Returns a message for the config error otherwise.
pub fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    let expected = || {
        format!(
            "invalid duration `{text}`, expected a number and a unit such as `500ms`, `30s`, `15m`, `6h` or `1d`"
        )
    };
    if text.is_empty() {
        return Err(expected());
    }
    let mut total = Duration::ZERO;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let letters = rest[digits..].bytes().take_while(u8::is_ascii_alphabetic).count();
        if digits == 0 || letters == 0 {
            return Err(expected());
        }
        let number: u64 = rest[..digits].parse().map_err(|_| expected())?;
        let unit = match &rest[digits..digits + letters] {
            "ms" => Duration::from_millis(1),
            "s" => Duration::from_secs(1),
            "m" | "min" => Duration::from_secs(60),
            "h" => Duration::from_secs(3600),
            "d" => Duration::from_secs(86_400),
            _ => return Err(expected()),
        };
        let part = u32::try_from(number).ok().and_then(|n| unit.checked_mul(n)).ok_or_else(expected)?;
        total = total.checked_add(part).ok_or_else(expected)?;
        rest = rest[digits + letters..].trim_start();
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_written() {
        let ok = [
            ("500ms", Duration::from_millis(500)),
            ("30s", Duration::from_secs(30)),
            ("15m", Duration::from_secs(900)),
            ("6h", Duration::from_secs(6 * 3600)),
            ("1d", Duration::from_secs(86_400)),
            ("1h30m", Duration::from_secs(5400)),
            ("1h 30m", Duration::from_secs(5400)),
            ("0s", Duration::ZERO),
            ("0", Duration::ZERO),
        ];
        for (text, expected) in ok {
            assert_eq!(parse(text), Ok(expected), "{text}");
        }
        for bad in ["", "30", "s", "1.5s", "-1s", "15 phút", "3w", "99999999999h"] {
            let message = parse(bad).expect_err(bad);
            assert!(message.contains(&format!("`{}`", bad.trim())), "{message}");
        }
    }
}
