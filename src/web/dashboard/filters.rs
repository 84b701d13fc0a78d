//! The dashboard's filters: the industry and size class its roll-up covers, read from the
//! query and checked against the profile's industries and the size classes. A value that is
//! neither is ignored and named in a notice, so a stale or mistyped link never shows an empty
//! dashboard without saying why.

use crate::campaign::Filter;
use crate::domain::enterprise::{parse_industry, Size};
use crate::report::cluster::Lookups;
use crate::scoring::rollup::EnterpriseResult;
use crate::web::html::{escape, Lang};

/// A filter value the page ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    Industry(String),
    Size(String),
}

/// The filter a query asks for, less what it could not be.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asked {
    pub filter: Filter,
    pub rejected: Vec<Rejected>,
}

impl Asked {
    /// An industry is its code or either of its names (as the enterprise import takes it).
    pub fn parse(industry: Option<&str>, size: Option<&str>, lookups: &Lookups) -> Self {
        fn given(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let mut asked = Self::default();
        if let Some(v) = given(industry) {
            match parse_industry(v, &lookups.industries) {
                Some(code) => asked.filter.industry = Some(code),
                None => asked.rejected.push(Rejected::Industry(v.to_owned())),
            }
        }
        if let Some(v) = given(size) {
            match Size::parse(v) {
                Some(s) => asked.filter.size = Some(s),
                None => asked.rejected.push(Rejected::Size(v.to_owned())),
            }
        }
        asked
    }
}

fn option(value: &str, label: &str, selected: bool) -> String {
    format!(
        r#"<option value="{}"{}>{}</option>"#,
        escape(value),
        if selected { " selected" } else { "" },
        escape(label)
    )
}

/// What the filter form offers and says.
pub struct Form<'a> {
    pub lang: Lang,
    pub campaign_id: &'a str,
    pub asked: &'a Asked,
    /// Every invited enterprise, whatever the filter keeps: the industries to offer.
    pub enterprises: &'a [EnterpriseResult],
    pub lookups: &'a Lookups,
    /// How many invited enterprises the filter keeps.
    pub kept: u32,
}

impl Form<'_> {
    fn notices(&self) -> String {
        let lang = self.lang;
        let mut out: Vec<String> = self
            .asked
            .rejected
            .iter()
            .map(|r| match (r, lang) {
                (Rejected::Industry(v), Lang::Zh) => {
                    format!("未知的行业筛选值“{v}”，已忽略：显示全部行业。")
                }
                (Rejected::Industry(v), Lang::En) => {
                    format!("Unknown industry filter “{v}”: ignored, showing every industry.")
                }
                (Rejected::Size(v), Lang::Zh) => {
                    format!("未知的规模筛选值“{v}”，已忽略：显示全部规模。")
                }
                (Rejected::Size(v), Lang::En) => {
                    format!("Unknown size filter “{v}”: ignored, showing every size.")
                }
            })
            .collect();
        if !self.asked.filter.is_empty() && self.kept == 0 {
            out.push(
                lang.t(
                    "没有符合此筛选的受邀企业，各项数字均为零。",
                    "No invited enterprise matches this filter: every figure is zero.",
                )
                .to_owned(),
            );
        }
        out.iter()
            .map(|n| format!(r#"<p class="notice" role="status">{}</p>"#, escape(n)))
            .collect()
    }

    pub fn render(&self) -> String {
        let (lang, filter) = (self.lang, &self.asked.filter);
        let mut industries: Vec<(String, &str)> = self
            .enterprises
            .iter()
            .map(|e| e.industry.as_str())
            .chain(filter.industry.as_deref())
            .map(|code| (self.lookups.industry(code, lang), code))
            .collect();
        industries.sort_unstable();
        industries.dedup();
        let mut industry = option(
            "",
            lang.t("全部行业", "All industries"),
            filter.industry.is_none(),
        );
        for (label, code) in &industries {
            industry.push_str(&option(
                code,
                label,
                filter.industry.as_deref() == Some(code),
            ));
        }
        let mut size = option("", lang.t("全部规模", "All sizes"), filter.size.is_none());
        for s in Size::ALL {
            size.push_str(&option(s.as_str(), s.label(lang), filter.size == Some(s)));
        }
        let lang_field = match lang {
            Lang::En => r#"<input type="hidden" name="lang" value="en">"#,
            Lang::Zh => "",
        };
        let clear = if filter.is_empty() && self.asked.rejected.is_empty() {
            String::new()
        } else {
            format!(
                r#" <a href="{}">{}</a>"#,
                lang.link(&format!("/campaigns/{}/dashboard", self.campaign_id)),
                lang.t("清除筛选", "Clear filters")
            )
        };
        format!(
            r#"<form method="get" class="filters card"><label>{}<select name="industry" id="filter-industry">{industry}</select></label><label>{}<select name="size" id="filter-size">{size}</select></label>{lang_field}<button type="submit">{}</button>{clear}</form>{}"#,
            lang.t("行业", "Industry"),
            lang.t("规模", "Size"),
            lang.t("筛选", "Filter"),
            self.notices(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_filter_and_unknown_ones_are_named() {
        let l = Lookups::built_in();
        let a = Asked::parse(Some("能源电力"), Some("large"), l);
        assert_eq!(a.filter.industry.as_deref(), Some("energy"));
        assert_eq!(a.filter.size, Some(Size::Large));
        assert!(a.rejected.is_empty());
        let a = Asked::parse(Some("nonsense"), Some("huge"), l);
        assert!(a.filter.is_empty());
        assert_eq!(
            a.rejected,
            [
                Rejected::Industry("nonsense".into()),
                Rejected::Size("huge".into())
            ]
        );
        assert_eq!(Asked::parse(Some(" "), Some(""), l), Asked::default());
    }

    #[test]
    fn the_form_names_what_it_ignored_and_offers_industries_by_name() {
        let l = Lookups::built_in();
        let asked = Asked::parse(Some("<nonsense>"), None, l);
        let form = Form {
            lang: Lang::Zh,
            campaign_id: "c",
            asked: &asked,
            enterprises: &[],
            lookups: l,
            kept: 3,
        };
        let html = form.render();
        assert!(
            html.contains("未知的行业筛选值“&lt;nonsense&gt;”"),
            "{html}"
        );
        assert!(
            html.contains(r#"href="/campaigns/c/dashboard""#),
            "a way back"
        );
        let asked = Asked::parse(Some("energy"), None, l);
        let html = Form {
            asked: &asked,
            kept: 0,
            lang: Lang::En,
            ..form
        }
        .render();
        assert!(html.contains(r#"<option value="energy" selected>Energy and power</option>"#));
        assert!(
            html.contains("No invited enterprise matches this filter"),
            "{html}"
        );
    }
}
