/*
 * field_labels.h — an application's fields as the clerk reads them: the
 * Ukrainian name of a field by its wire path ("applicant.reg_address",
 * "family[2].birth_date", "payment.iban", "income[1]") and its value
 * (dates DD.MM.YYYY, sex, document kinds, relations, yes/no).  For the
 * case view's history (what each edit changed) and the form's offer of
 * what changed in the base of recipients.  No ncurses, no domain state.
 */
#ifndef TUI_FIELD_LABELS_H
#define TUI_FIELD_LABELS_H

#include <stddef.h>

/* The label of a person field's wire key ("reg_address"); NULL when the
 * key is not one. */
const char *field_person_label(const char *key);

/* "Заявник: Адреса реєстрації", "Член сім’ї 2: Дата народження",
 * "IBAN" ... into buf (the path itself when unknown). */
const char *field_path_label(const char *path, char *buf, size_t cap);

/* `value` of the field at `path` as shown ("—" for none). */
const char *field_value_text(const char *path, const char *value, char *buf,
    size_t cap);

#endif
