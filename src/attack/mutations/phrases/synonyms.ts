/**
 * Groups of interchangeable attack words for the paraphrase family, one group a line, words
 * separated by ", "; multi-word entries are only ever replacements.
 */
const GROUPS = `
ignore, disregard, forget, skip, set aside, drop
ignoring, disregarding, forgetting, skipping, setting aside
instructions, rules, directives, guidelines, orders, commands
instruction, rule, directive, guideline, order
previous, prior, earlier, preceding, former
reveal, show, print, display, output, disclose, expose, dump
secret, confidential, hidden, private, classified
password, passphrase, passcode
send, transmit, forward, post, upload
delete, remove, erase, wipe, purge
urgent, critical, pressing, time-sensitive
immediately, right away, at once, straight away, now
administrator, admin, superuser, sysadmin
bypass, circumvent, get around, sidestep, skip past
override, overrule, supersede
restrictions, limitations, constraints, safeguards, filters, guardrails
execute, run, perform, carry out
data, information, details, records
important, essential, crucial, vital
please, kindly
assistant, AI, model, bot
give, provide, hand over, supply
boss, manager, supervisor, team lead
pretend, imagine, act as if
repeat, recite, echo, reproduce
confirm, verify, acknowledge
credentials, login details, access keys
tell, inform, notify, alert
quickly, fast, asap, without delay
everything, all of it, the whole thing
unrestricted, unfiltered, uncensored, unlimited
task, job, assignment
must, have to, need to
`;

export const SYNONYM_GROUPS: readonly (readonly string[])[] = GROUPS.trim()
  .split('\n')
  .map((line) => line.split(', '));
