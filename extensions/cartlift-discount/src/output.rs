//! The targets' results, written as the Discount Function API's JSON (2026-07 schema:
//! `CartLinesDiscountsGenerateRunResult`, `CartDeliveryOptionsDiscountsGenerateRunResult`).

use crate::discounts::Earned;

pub const NOTHING: &[u8] = b"{\"operations\":[]}";

/// `1250`, 2 digits → "12.50"; `879`, 0 → "879" (app/engine/wire.ts `minorToDecimal`).
fn decimal(out: &mut Vec<u8>, amount: i64, digits: i32) {
    let digits = digits.max(0) as usize;
    let mut text = [0u8; 24];
    let mut n = 0;
    let mut v = amount.unsigned_abs();
    // Digits from the right, at least one before the point.
    while v > 0 || n <= digits {
        text[n] = b'0' + (v % 10) as u8;
        v /= 10;
        n += 1;
    }
    if amount < 0 {
        out.push(b'-');
    }
    for k in (0..n).rev() {
        out.push(text[k]);
        if k == digits && digits > 0 {
            out.push(b'.');
        }
    }
}

/// One product-discount operation, every candidate applied: a candidate's fixed amount is
/// its line's whole discount, except that single-unit lines earning the same amount under
/// the same message share one candidate, the amount applying to each of their items (so a
/// 200-line cart stays far below Shopify's output limit).
pub fn product_discounts(e: &Earned) -> Vec<u8> {
    if e.lines.is_empty() {
        return NOTHING.to_vec();
    }
    // Candidates: (amount, message, line indexes, shareable).
    let mut candidates: Vec<(i64, &[u8], Vec<usize>, bool)> = Vec::with_capacity(e.lines.len());
    for &(i, amount, message) in e.lines.iter() {
        let single = e.quantities[i] == 1;
        if single {
            if let Some(c) = candidates.iter_mut().find(|c| c.3 && c.0 == amount && c.1 == message) {
                c.2.push(i);
                continue;
            }
        }
        candidates.push((amount, message, vec![i], single));
    }
    let digits = crate::discounts::minor_digits(e.currency);
    let mut out = Vec::with_capacity(64 + candidates.len() * 128);
    out.extend_from_slice(b"{\"operations\":[{\"productDiscountsAdd\":{\"candidates\":[");
    for (n, (amount, message, targets, _)) in candidates.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"message\":\"");
        out.extend_from_slice(message);
        out.extend_from_slice(b"\",\"targets\":[");
        for (k, &i) in targets.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"cartLine\":{\"id\":\"");
            out.extend_from_slice(e.line_ids[i]);
            out.extend_from_slice(b"\"}}");
        }
        out.extend_from_slice(b"],\"value\":{\"fixedAmount\":{\"amount\":\"");
        decimal(&mut out, *amount, digits);
        out.extend_from_slice(if targets.len() > 1 { b"\",\"appliesToEachItem\":true}}}" as &[u8] } else { b"\"}}}" });
    }
    out.extend_from_slice(b"],\"selectionStrategy\":\"ALL\"}}]}");
    out
}

/// Free shipping (100% off every delivery group) when the goal is reached.
pub fn delivery_discounts(e: &Earned, groups: &[&[u8]]) -> Vec<u8> {
    let message = match e.free_shipping {
        Some(m) if !groups.is_empty() => m,
        _ => return NOTHING.to_vec(),
    };
    let mut out = Vec::with_capacity(160 + groups.len() * 64);
    out.extend_from_slice(b"{\"operations\":[{\"deliveryDiscountsAdd\":{\"candidates\":[{\"message\":\"");
    out.extend_from_slice(message);
    out.extend_from_slice(b"\",\"targets\":[");
    for (k, id) in groups.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"deliveryGroup\":{\"id\":\"");
        out.extend_from_slice(id);
        out.extend_from_slice(b"\"}}");
    }
    out.extend_from_slice(b"],\"value\":{\"percentage\":{\"value\":\"100.0\"}}}],\"selectionStrategy\":\"ALL\"}}]}");
    out
}
