//! The function's input, read in one pass in the shape of its input queries
//! (src/*.graphql, with their short aliases). Lines keep slices of the input; prices are
//! read once the cart's currency is known (it comes after the lines).

use crate::json::{js_number, Bytes, Reader, Str, R};
use crate::plan::{self, Plan};

pub struct Line<'a> {
    /// The line id as written (JSON-escaped), for the output.
    pub id: &'a [u8],
    pub quantity: i64,
    pub amount: &'a [u8],
    /// The `_cartlift_offer` attribute's value.
    pub offer: Option<Bytes<'a>>,
    /// Product variants only: a custom product has none.
    pub variant: Option<Str<'a>>,
    pub product: Option<Str<'a>>,
    pub vendor: Option<Bytes<'a>>,
    pub product_type: Option<Bytes<'a>>,
}

pub struct Input<'a> {
    pub lines: Vec<Line<'a>>,
    pub currency: Option<&'a [u8]>,
    pub authenticated: bool,
    pub orders: Option<i64>,
    pub delivery_groups: Vec<&'a [u8]>,
    pub product_class: bool,
    pub shipping_class: bool,
    /// None: no metafield (or a null value).
    pub plan: Option<Plan<'a>>,
    pub country: Option<Bytes<'a>>,
    pub rate: f64,
    pub date: &'a [u8],
}

fn line<'a>(r: &mut Reader<'a>) -> R<Line<'a>> {
    let mut l = Line { id: b"", quantity: 0, amount: b"", offer: None, variant: None, product: None, vendor: None, product_type: None };
    r.object(|r, key| {
        match key {
            b"id" => l.id = r.string()?.raw,
            b"q" => l.quantity = r.int()?,
            b"c" => r.object(|r, _| r.object(|r, _| {
                l.amount = r.string()?.raw;
                Ok(())
            }))?,
            b"o" => {
                if !r.null()? {
                    r.object(|r, _| {
                        l.offer = r.opt_string()?.map(|s| s.bytes());
                        Ok(())
                    })?
                }
            }
            b"m" => r.object(|r, key| {
                match key {
                    b"id" => l.variant = Some(r.string()?),
                    b"p" => r.object(|r, key| {
                        match key {
                            b"id" => l.product = Some(r.string()?),
                            b"v" => l.vendor = r.opt_string()?.map(|s| s.bytes()),
                            b"t" => l.product_type = r.opt_string()?.map(|s| s.bytes()),
                            _ => r.skip()?,
                        }
                        Ok(())
                    })?,
                    _ => r.skip()?,
                }
                Ok(())
            })?,
            _ => r.skip()?,
        }
        Ok(())
    })?;
    Ok(l)
}

/// Reads the whole input; any malformed part is an error (no discount).
pub fn read(bytes: &[u8]) -> R<Input<'_>> {
    let mut r = Reader::new(bytes);
    let mut input = Input {
        lines: Vec::with_capacity(64),
        currency: None,
        authenticated: false,
        orders: None,
        delivery_groups: Vec::new(),
        product_class: false,
        shipping_class: false,
        plan: None,
        country: None,
        rate: f64::NAN,
        date: b"",
    };
    let i = &mut input;
    r.object(|r, key| {
        match key {
            b"cart" => r.object(|r, key| {
                match key {
                    b"lines" => r.array(|r| {
                        i.lines.push(line(r)?);
                        Ok(())
                    })?,
                    b"cost" => r.object(|r, _| r.object(|r, key| {
                        if key == b"currencyCode" {
                            i.currency = Some(r.string()?.raw);
                            Ok(())
                        } else {
                            r.skip()
                        }
                    }))?,
                    b"buyerIdentity" => {
                        if !r.null()? {
                            r.object(|r, key| {
                                match key {
                                    b"isAuthenticated" => i.authenticated = r.boolean()?,
                                    b"customer" => {
                                        if !r.null()? {
                                            r.object(|r, _| {
                                                i.orders = Some(r.int()?);
                                                Ok(())
                                            })?
                                        }
                                    }
                                    _ => r.skip()?,
                                }
                                Ok(())
                            })?
                        }
                    }
                    b"deliveryGroups" => r.array(|r| {
                        r.object(|r, _| {
                            i.delivery_groups.push(r.string()?.raw);
                            Ok(())
                        })
                    })?,
                    _ => r.skip()?,
                }
                Ok(())
            })?,
            b"discount" => r.object(|r, key| {
                match key {
                    b"discountClasses" => r.array(|r| {
                        match r.string()?.raw {
                            b"PRODUCT" => i.product_class = true,
                            b"SHIPPING" => i.shipping_class = true,
                            _ => {}
                        }
                        Ok(())
                    })?,
                    b"metafield" => {
                        if !r.null()? {
                            r.object(|r, _| {
                                // A value that is not a current plan: no discount.
                                if !r.null()? {
                                    i.plan = Some(plan::read(r)?);
                                }
                                Ok(())
                            })?
                        }
                    }
                    _ => r.skip()?,
                }
                Ok(())
            })?,
            b"localization" => r.object(|r, _| {
                r.object(|r, _| {
                    i.country = r.opt_string()?.map(|s| s.bytes());
                    Ok(())
                })
            })?,
            b"presentmentCurrencyRate" => i.rate = js_number(&r.string()?.bytes()),
            b"shop" => r.object(|r, _| {
                r.object(|r, _| {
                    i.date = r.string()?.raw;
                    Ok(())
                })
            })?,
            _ => r.skip()?,
        }
        Ok(())
    })?;
    if !r.at_end() {
        return Err(());
    }
    Ok(input)
}
