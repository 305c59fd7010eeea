-- The contact-time and third-party rules, written once: the per-day conduct figures
-- (refresh_conduct_days.sql, compliance_rule_days.sql) and the records behind the cards
-- (compliance_contact_rules.sql) both call these.

-- window_channel(channel, window_channels): the contact window binds this channel: calls
-- ('phone') and visits always, messages on the preset's window channels.
CREATE OR REPLACE MACRO window_channel(channel, window_channels) AS
    channel IN ('phone', 'visit') OR list_contains(window_channels, channel);

-- off_hours(local_hour, start_hour, end_hour): outside [start hour, end hour) of the local day.
CREATE OR REPLACE MACRO off_hours(local_hour, start_hour, end_hour) AS
    local_hour < start_hour OR local_hour >= end_hour;

-- third_party_contact(kind, outcome): a call or a visit that reached someone else.
CREATE OR REPLACE MACRO third_party_contact(kind, outcome) AS
    outcome = 'third_party' AND kind IN ('call', 'visit');
