-- hostile_call(...): a call is hostile when abusive = true or sentiment <= the threshold, each
-- column deciding only where the row's file carried it (call_facts' *_known flags).
CREATE OR REPLACE MACRO hostile_call(abusive_known, abusive, sentiment_known, sentiment, threshold) AS
    coalesce(abusive_known AND abusive, false)
    OR coalesce(sentiment_known AND sentiment <= threshold, false);
