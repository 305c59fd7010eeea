-- What an outcome code means, written once: the contacts model, the well-being figures and
-- every other reader call these.

-- rpc_call(outcome): the call reached the debtor (right-party contact).
CREATE OR REPLACE MACRO rpc_call(outcome) AS
    outcome IN ('right_party', 'promise_to_pay', 'refused', 'dispute', 'hardship', 'callback');

-- connected_call(outcome): someone answered (the debtor or not).
CREATE OR REPLACE MACRO connected_call(outcome) AS
    outcome NOT IN ('no_answer', 'busy', 'voicemail');

-- rpc_visit(outcome): the field agent met the debtor.
CREATE OR REPLACE MACRO rpc_visit(outcome) AS
    outcome IN ('met_debtor', 'promise_to_pay', 'paid_on_site', 'hostile');

-- hostile_visit(outcome, safety_incident): a meeting that turned hostile, or any meeting with
-- a safety incident.
CREATE OR REPLACE MACRO hostile_visit(outcome, safety_incident) AS
    outcome = 'hostile' OR (rpc_visit(outcome) AND coalesce(safety_incident, false));
