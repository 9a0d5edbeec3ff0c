/**
 * A table for long lists (10,000 audience ids, 1,000 customers): only the rows in view, plus a few
 * either side, are in the page, so scrolling stays smooth at any length. Rows have one fixed height.
 * Screen readers still hear the whole table's size (`aria-rowcount`) and each row's place in it
 * (`aria-rowindex`); the scrolling body takes the keyboard focus so arrow keys and Page Down scroll it.
 */
import { useState, type ReactNode, type UIEvent } from 'react';
import { makeStyles, tokens } from '@fluentui/react-components';

export interface VirtualColumn<T> {
  readonly name: string;
  /** A CSS grid track size; `minmax(0, 1fr)` when not given. */
  readonly width?: string;
  render(item: T): ReactNode;
}

const OVERSCAN = 8;

const useStyles = makeStyles({
  table: { display: 'flex', flexDirection: 'column', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  row: { display: 'grid', alignItems: 'center', columnGap: tokens.spacingHorizontalM, padding: `0 ${tokens.spacingHorizontalM}`, boxSizing: 'border-box', borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  head: { fontWeight: tokens.fontWeightSemibold, minHeight: '36px' },
  body: { overflowY: 'auto', position: 'relative', ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' } },
  cell: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
});

/** A virtualised table of `items` with `columns`; `rowKey` names each row for React. */
export function VirtualRows<T>({ label, items, columns, rowKey, rowHeight = 40, height = 480 }: {
  label: string;
  items: readonly T[];
  columns: readonly VirtualColumn<T>[];
  rowKey: (item: T) => string;
  rowHeight?: number;
  /** The body's height in pixels; shorter when the rows need less. */
  height?: number;
}) {
  const styles = useStyles();
  const [scrollTop, setScrollTop] = useState(0);
  const template = columns.map((c) => c.width ?? 'minmax(0, 1fr)').join(' ');
  const bodyHeight = Math.min(height, items.length * rowHeight);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + bodyHeight) / rowHeight) + OVERSCAN);
  const onScroll = (event: UIEvent<HTMLDivElement>) => setScrollTop(event.currentTarget.scrollTop);
  return (
    <div role="table" aria-label={label} aria-rowcount={items.length + 1} className={styles.table}>
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} className={`${styles.row} ${styles.head}`} style={{ gridTemplateColumns: template }}>
          {columns.map((c) => <div key={c.name} role="columnheader" className={styles.cell}>{c.name}</div>)}
        </div>
      </div>
      <div role="rowgroup" tabIndex={0} aria-label={`${label}: ${items.length} rows, scroll for more`} className={styles.body} style={{ height: bodyHeight }} onScroll={onScroll}>
        <div style={{ height: items.length * rowHeight }}>
          {items.slice(first, last).map((item, offset) => {
            const index = first + offset;
            return (
              <div key={rowKey(item)} role="row" aria-rowindex={index + 2} className={styles.row} style={{ gridTemplateColumns: template, position: 'absolute', top: index * rowHeight, height: rowHeight, left: 0, right: 0 }}>
                {columns.map((c) => <div key={c.name} role="cell" className={styles.cell}>{c.render(item)}</div>)}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
