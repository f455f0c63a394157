/**
 * Reads a list of webhook secrets from one variable, such as `CRM_WEBHOOK_SECRETS` or
 * `RED360_WEBHOOK_SECRETS`. Secrets are separated by commas, whitespace or both; blanks are
 * dropped, and an unset or empty value gives an empty list. Several secrets may be live at once
 * so that one can be rotated without losing deliveries: add the new secret, switch the sender
 * to it, then remove the old one.
 */
export function parseSecrets(value: string | undefined): string[] {
  if (value === undefined) {
    return []
  }
  return value.split(/[\s,]+/).filter((secret) => secret !== '')
}
