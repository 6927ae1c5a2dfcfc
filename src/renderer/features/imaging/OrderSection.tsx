import type { LinkedOrder, OrderMatch } from './imaging-order-refs.ts';
import type { ImagingLabel } from './imaging-words.ts';

export interface OrderSectionProps {
  /** The orders behind the open study, newest first (empty when none links). */
  orders: readonly LinkedOrder[];
  locale: string;
  t(key: ImagingLabel, params?: Record<string, string>): string;
  when(iso: string): string;
}

const MATCH_WORDS: Record<OrderMatch, ImagingLabel> = {
  'based-on': 'order-match-based-on',
  'report-based-on': 'order-match-report-based-on',
  accession: 'order-match-accession',
  'study-uid': 'order-match-study-uid',
  'study-attributes': 'order-match-study-attributes',
};

/** Chinese lists read with a full-width semicolon; others with "; ". */
const joined = (locale: string, texts: readonly string[]) => texts.join(locale.startsWith('zh') ? '；' : '; ');

/**
 * The order behind the study, above its report: why it was asked for, what the ordering doctor
 * wrote, who asked and when, and which system said so. Shown whether or not a report exists yet
 * — a radiologist reads most studies before there is one.
 */
export function OrderSection({ orders, locale, t, when }: OrderSectionProps) {
  if (orders.length === 0) {
    return (
      <section className="imaging__order imaging__order--none" data-testid="imaging-order" data-state="none">
        <h3 className="imaging__heading">{t('order-title')}</h3>
        <p>{t('order-none')}</p>
      </section>
    );
  }
  return (
    <section className="imaging__order" data-testid="imaging-order" data-state="linked">
      <h3 className="imaging__heading">{t('order-title')}</h3>
      {orders.map((order) => (
        <article
          key={order.entryId}
          className="imaging__order-item"
          data-testid="imaging-order-item"
          data-entry-id={order.entryId}
          data-matched-by={order.matchedBy.join(' ')}
          data-source-ids={order.sources.map((s) => s.sourceId).join(' ')}
        >
          <p className="imaging__report-match" data-testid="imaging-order-match">
            {t('order-match', { how: order.matchedBy.map((m) => t(MATCH_WORDS[m])).join(locale.startsWith('zh') ? '、' : ', ') })}
          </p>
          {order.procedure && <p className="imaging__order-procedure">{order.procedure}</p>}
          <h4 className="imaging__report-label">{t('order-indication')}</h4>
          <p className="imaging__order-indication" data-testid="imaging-order-indication">
            {order.indication.length > 0 ? joined(locale, order.indication) : t('report-not-given')}
          </p>
          {order.clinicalInfo.length > 0 && (
            <>
              <h4 className="imaging__report-label">{t('order-clinical-info')}</h4>
              <p data-testid="imaging-order-clinical-info">{joined(locale, order.clinicalInfo)}</p>
            </>
          )}
          <dl className="imaging__report-facts">
            <dt>{t('order-requester')}</dt>
            <dd data-testid="imaging-order-requester">{order.requester ?? t('report-not-given')}</dd>
            <dt>{t('order-time')}</dt>
            <dd>{order.orderedAt ? when(order.orderedAt) : t('report-not-given')}</dd>
            <dt>{t('order-source')}</dt>
            <dd
              data-testid="imaging-order-source"
              title={order.sources.map((s) => `${s.nativeId}${s.messageType ? ` (${s.messageType})` : ''}`).join('\n')}
            >
              {joined(
                locale,
                order.sources.map((s) => s.sourceName),
              )}
            </dd>
          </dl>
        </article>
      ))}
    </section>
  );
}
