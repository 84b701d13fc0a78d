//! The workbook: the enterprise table, one row per enterprise and item, and what the figures
//! are.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{domain_label, header, Table, ITEM_HEADER, STATEMENT_EN, STATEMENT_ZH};
use crate::questionnaire::Questionnaire;
use crate::scoring::Hundredths;

/// Where the figures come from, for the "说明 About" sheet.
#[derive(Debug, Clone)]
pub struct About {
    pub campaign_id: String,
    pub campaign_name: String,
    pub policy_version: String,
    /// When the file was made, as shown.
    pub generated: String,
}

struct Formats {
    header: Format,
    score: Format,
}

/// The XLSX file's bytes.
pub fn to_xlsx(q: &Questionnaire, table: &Table, about: &About) -> Result<Vec<u8>, XlsxError> {
    let f = Formats {
        header: Format::new().set_bold(),
        score: Format::new().set_num_format("0.00"),
    };
    let mut book = Workbook::new();
    book.push_worksheet(enterprises(q, table, &f)?);
    book.push_worksheet(items(q, table, &f)?);
    book.push_worksheet(about_sheet(q, table, about, &f)?);
    book.save_to_buffer()
}

/// A row or column index, refused past what a sheet holds.
fn at<T: TryFrom<usize>>(n: usize) -> Result<T, XlsxError> {
    T::try_from(n).map_err(|_| XlsxError::RowColumnLimitError)
}

fn header_row(sheet: &mut Worksheet, titles: &[String], f: &Formats) -> Result<(), XlsxError> {
    for (c, title) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, at(c)?, title, &f.header)?;
        let width = if c == 0 { 30 } else { 14 };
        sheet.set_column_width(at(c)?, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn score(
    sheet: &mut Worksheet,
    row: u32,
    col: usize,
    value: Option<Hundredths>,
    f: &Formats,
) -> Result<(), XlsxError> {
    if let Some(v) = value {
        sheet.write_number_with_format(row, at(col)?, v.as_f64(), &f.score)?;
    }
    Ok(())
}

fn enterprises(q: &Questionnaire, table: &Table, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name("企业 Enterprises")?;
    let titles = header(q);
    header_row(&mut sheet, &titles, f)?;
    for (n, row) in table.rows.iter().enumerate() {
        let r: u32 = at(n + 1)?;
        sheet.write_string(r, 0, &row.name)?;
        sheet.write_string(r, 1, &row.credit_code)?;
        sheet.write_string(r, 2, &row.industry)?;
        sheet.write_string(r, 3, row.size.as_str())?;
        sheet.write_string(r, 4, row.sharing.as_str())?;
        sheet.write_string(r, 5, row.status.as_str())?;
        if let Some(card) = &row.verified {
            score(&mut sheet, r, 6, Some(card.overall.score), f)?;
            sheet.write_number(r, 7, card.overall.level)?;
        }
        for (i, d) in q.domains.iter().enumerate() {
            score(&mut sheet, r, 8 + i, row.domain(i, d).map(|s| s.score), f)?;
        }
        let c = 8 + q.domains.len();
        score(&mut sheet, r, c, row.self_overall(), f)?;
        if let Some(bias) = row.bias() {
            sheet.write_number_with_format(r, at(c + 1)?, bias.as_f64(), &f.score)?;
        }
    }
    sheet.autofilter(0, 0, at(table.rows.len())?, at(titles.len() - 1)?)?;
    Ok(sheet)
}

fn items(q: &Questionnaire, table: &Table, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name("能力项 Items")?;
    let titles = ITEM_HEADER.map(str::to_owned);
    header_row(&mut sheet, &titles, f)?;
    sheet.set_column_width(4, 24)?;
    let item_names: std::collections::HashMap<&str, (String, &str)> = q
        .domains
        .iter()
        .flat_map(|d| d.items.iter().map(move |i| (d, i)))
        .map(|(d, i)| (i.id.as_str(), (domain_label(d), i.name.zh.as_str())))
        .collect();
    let mut n = 0;
    for row in &table.rows {
        for (verified, own) in row.items() {
            n += 1;
            let r: u32 = at(n)?;
            let (domain, item) = item_names
                .get(verified.id.as_str())
                .map_or(("", ""), |(d, i)| (d.as_str(), *i));
            sheet.write_string(r, 0, &row.name)?;
            sheet.write_string(r, 1, &row.credit_code)?;
            sheet.write_string(r, 2, domain)?;
            sheet.write_string(r, 3, &verified.id)?;
            sheet.write_string(r, 4, item)?;
            score(&mut sheet, r, 5, Some(verified.score), f)?;
            sheet.write_number(r, 6, verified.level)?;
            score(&mut sheet, r, 7, own.map(|o| o.score), f)?;
        }
    }
    sheet.autofilter(0, 0, at(n)?, at(titles.len() - 1)?)?;
    Ok(sheet)
}

fn about_sheet(
    q: &Questionnaire,
    table: &Table,
    about: &About,
    f: &Formats,
) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name("说明 About")?;
    let lines: [(&str, String); 10] = [
        ("批次 Campaign", about.campaign_name.clone()),
        ("批次编号 Campaign id", about.campaign_id.clone()),
        ("问卷 Questionnaire", q.id.clone()),
        ("问卷哈希 Questionnaire hash", q.hash.clone()),
        ("评分规则 Scoring policy", about.policy_version.clone()),
        ("生成时间 Generated", about.generated.clone()),
        ("列出企业 Enterprises listed", table.rows.len().to_string()),
        (
            "未列出（仅共享匿名统计）Left out (anonymous statistics only)",
            table.left_out.to_string(),
        ),
        ("说明", STATEMENT_ZH.to_owned()),
        ("Note", STATEMENT_EN.to_owned()),
    ];
    sheet.set_column_width(0, 36)?;
    sheet.set_column_width(1, 100)?;
    for (n, (label, value)) in lines.iter().enumerate() {
        let r: u32 = at(n)?;
        sheet.write_string_with_format(r, 0, *label, &f.header)?;
        sheet.write_string(r, 1, value)?;
    }
    Ok(sheet)
}
