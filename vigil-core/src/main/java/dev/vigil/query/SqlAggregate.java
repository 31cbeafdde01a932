package dev.vigil.query;

/** The aggregates of {@code summarize}; the {@code _IF} forms take a predicate as their last argument. */
public enum SqlAggregate {
    COUNT, COUNT_IF, DCOUNT, DCOUNT_IF, SUM, SUM_IF, AVG, AVG_IF, MIN, MAX, MIN_IF, MAX_IF, MAKE_SET, MAKE_SET_IF,
    MAKE_LIST, MAKE_LIST_IF, ARG_MAX, ARG_MIN, PERCENTILE, ANY, STDEV, VARIANCE
}
