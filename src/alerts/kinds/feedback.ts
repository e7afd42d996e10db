/**
 * Share of negative user ratings above spec.thresholds.maxNegativeFeedback,
 * per target, over the window: negative ratings among the positive and
 * negative ratings sent to POST /v1/feedback. Ratings of kind score are not
 * counted. A window with fewer than minFeedbackRatings such ratings raises
 * nothing, so that one unhappy user does not page anyone.
 */
import type { AlertKind } from '../alert-kind.js';
import { binary, formatNumber, formatShare, group, increaseInWindow, monitorSelector, sumBy, withRegexMatcher } from '../promql.js';

export const feedbackAlertName = 'LLMMonitorNegativeFeedbackAboveMaximum';
export const feedbackMetric = 'llm_monitor_feedback_total';
/** Minimum number of positive and negative ratings in the window before the share is judged. */
export const minFeedbackRatings = 10;

export const feedbackAlert: AlertKind = {
  rules(context) {
    const maximum = context.maxNegativeFeedback;
    if (maximum === undefined) return [];

    const { namespace, monitor, window } = context;
    const negative = sumBy(['target'], increaseInWindow(feedbackMetric, monitorSelector(namespace, monitor, { rating: 'negative' }), window));
    const rated = sumBy(['target'], increaseInWindow(feedbackMetric, withRegexMatcher(monitorSelector(namespace, monitor), 'rating', 'positive|negative'), window));
    return [
      {
        alert: feedbackAlertName,
        expr: `${group(binary(negative, '/', rated))} > ${formatNumber(maximum)}\nand on (target)\n${rated} >= ${minFeedbackRatings}`,
        for: context.for,
        labels: context.labels,
        annotations: {
          summary: `LLMMonitor ${namespace}/${monitor}: users rate the answers of target {{ $labels.target }} negative more than ${formatShare(maximum)} of the time`,
          description:
            `Over the last ${window}, {{ $value | humanizePercentage }} of the positive and negative ratings that users sent for target {{ $labels.target }} on POST /v1/feedback were negative, ` +
            `above the maximum of ${formatShare(maximum)} (spec.thresholds.maxNegativeFeedback). ` +
            `${feedbackMetric} counts the ratings by rating.`,
          runbook_url: context.runbookURL,
        },
      },
    ];
  },
};
