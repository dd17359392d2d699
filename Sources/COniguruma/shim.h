// Oniguruma, the regex engine jq itself uses: Perl_NG syntax (Perl with named groups), UTF-8, with a retry limit per match.
// Macros that Swift cannot import (address-of constants, shifted options, a variadic function)
// are wrapped here.
#include <oniguruma.h>

static const OnigOptionType VIGIL_ONIG_OPTION_NONE = ONIG_OPTION_NONE;
static const OnigOptionType VIGIL_ONIG_OPTION_IGNORECASE = ONIG_OPTION_IGNORECASE;
static const OnigOptionType VIGIL_ONIG_OPTION_EXTEND = ONIG_OPTION_EXTEND;
static const OnigOptionType VIGIL_ONIG_OPTION_MULTILINE = ONIG_OPTION_MULTILINE;
static const OnigOptionType VIGIL_ONIG_OPTION_SINGLELINE = ONIG_OPTION_SINGLELINE;
static const OnigOptionType VIGIL_ONIG_OPTION_FIND_LONGEST = ONIG_OPTION_FIND_LONGEST;
static const OnigOptionType VIGIL_ONIG_OPTION_FIND_NOT_EMPTY = ONIG_OPTION_FIND_NOT_EMPTY;
static const OnigOptionType VIGIL_ONIG_OPTION_CAPTURE_GROUP = ONIG_OPTION_CAPTURE_GROUP;

/// Initialises the library for UTF-8 and bounds backtracking: at most `match_limit` retries for
/// one match attempt and `search_limit` for one search over all start positions.
static inline int vigil_onig_setup(unsigned long match_limit, unsigned long search_limit) {
    OnigEncoding encodings[1] = { ONIG_ENCODING_UTF8 };
    int r = onig_initialize(encodings, 1);
    if (r != ONIG_NORMAL) return r;
    onig_set_retry_limit_in_match(match_limit);
    onig_set_retry_limit_in_search(search_limit);
    return ONIG_NORMAL;
}

static inline int vigil_onig_new(OnigRegex *reg, const OnigUChar *pattern, const OnigUChar *end,
                                 OnigOptionType options, OnigErrorInfo *info) {
    return onig_new(reg, pattern, end, options, ONIG_ENCODING_UTF8, ONIG_SYNTAX_PERL_NG, info);
}

/// The library's message for an error code (`buf` holds ONIG_MAX_ERROR_MESSAGE_LEN bytes).
static inline int vigil_onig_error_text(OnigUChar *buf, int code, OnigErrorInfo *info) {
    return onig_error_code_to_str(buf, code, info);
}
