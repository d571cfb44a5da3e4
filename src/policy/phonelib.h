/* The C ABI of libsms_phonelib.so (src/policy/phonelib.cpp): libphonenumber
 * and its offline geocoder behind a few plain functions, for the numbers the
 * build-time tables of number.cpp do not cover (numbers of other countries,
 * Chinese service lines, invalid numbers and their reasons).
 *
 * Loading libphonenumber costs a process ~25 ms at start (protobuf static
 * initialisers, ~500k relocations of libgeocoding, ICU regular expressions
 * compiled by PhoneNumberUtil::GetInstance), so smsctl and smserver do not
 * link it: number.cpp dlopen()s this plugin on the first number that needs
 * it. Plain C types and caller-owned buffers only: nothing allocated here is
 * freed there. All functions are thread-safe. */
#ifndef SMS_POLICY_PHONELIB_H
#define SMS_POLICY_PHONELIB_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a struct or a signature below changes. */
#define SMS_PHONELIB_ABI 1

enum sms_phonelib_type {
  SMS_PHONELIB_INVALID = 0,
  SMS_PHONELIB_MOBILE = 1, /* MOBILE and FIXED_LINE_OR_MOBILE: it may take an SMS */
  SMS_PHONELIB_FIXED = 2,
  SMS_PHONELIB_OTHER = 3 /* toll-free, shared-cost, VoIP, ... */
};

struct sms_phonelib_number {
  int parsed;       /* libphonenumber could read it (Parse gave no error) */
  int type;         /* enum sms_phonelib_type; SMS_PHONELIB_INVALID unless parsed and valid */
  int short_number; /* parsed but not valid, and ShortNumberInfo knows it as a short number of the region */
  char e164[32];    /* valid numbers: "+8613955112345" */
  char why[192];    /* not parsed or not valid: why, in words ("too short") */
};

/* The plugin's SMS_PHONELIB_ABI. */
int sms_phonelib_abi(void);

/* Parses `text` (UTF-8, `size` bytes) as libphonenumber does, numbers written
 * without a country code taken as in `region` (ISO 3166, "CN"). Always fills
 * *out; returns out->type. */
int sms_phonelib_parse(const char* text, size_t size, const char* region, struct sms_phonelib_number* out);

/* The geocoder's Chinese description of a number given in E.164 ("安徽省合肥市",
 * "美国"), made uniform: "" when only China is known, Taiwan's cities under
 * "台湾" ("台湾台北"). Writes at most `capacity` bytes with a NUL and returns the
 * length the description needs without it (call again with more room if it
 * is not less than `capacity`). */
size_t sms_phonelib_describe(const char* e164, char* out, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
