'use client';

import { Box, type BoxProps, getSpacing, type MantineSpacing, rem, TableTd } from '@mantine/core';
import { type ComponentPropsWithoutRef, createContext, type CSSProperties, useContext } from 'react';

/**
 * Mantine's Table, drawn by Mantine's own stylesheet, without its module: importing Mantine's `Table`
 * also imports `Table.ScrollContainer`, hence ScrollArea and @floating-ui (~24 KB gzip), into the first
 * load of every page with a table. The elements carry the same classes, data attributes and CSS
 * variables as Mantine's, so they look and behave the same; `Table.ScrollContainer` is the native
 * (overflow: auto) variant.
 */
const classes = TableTd.classes as Record<
  'table' | 'th' | 'tr' | 'td' | 'tbody' | 'thead' | 'caption' | 'scrollContainer' | 'scrollContainerInner',
  string
>;

interface TableOptions {
  striped?: boolean;
  highlightOnHover?: boolean;
  withRowBorders?: boolean;
  withColumnBorders?: boolean;
}

const TableContext = createContext<TableOptions>({ withRowBorders: true });

const cx = (...names: (string | undefined)[]) => names.filter(Boolean).join(' ');

type Part<E extends keyof React.JSX.IntrinsicElements> = BoxProps & ComponentPropsWithoutRef<E>;

interface TableProps extends Part<'table'>, TableOptions {
  verticalSpacing?: MantineSpacing | number;
  horizontalSpacing?: MantineSpacing | number;
  withTableBorder?: boolean;
}

function TableRoot({
  striped,
  highlightOnHover,
  withRowBorders = true,
  withColumnBorders,
  withTableBorder,
  verticalSpacing = 7,
  horizontalSpacing,
  className,
  style,
  ...others
}: TableProps) {
  const vars = {
    '--table-vertical-spacing': getSpacing(verticalSpacing),
    '--table-horizontal-spacing': horizontalSpacing === undefined ? undefined : getSpacing(horizontalSpacing),
  } as CSSProperties;
  return (
    <TableContext.Provider value={{ striped, highlightOnHover, withRowBorders, withColumnBorders }}>
      <Box
        component="table"
        mod={{ 'with-table-border': withTableBorder }}
        className={cx(classes.table, className)}
        style={{ ...vars, ...(style as CSSProperties) }}
        {...others}
      />
    </TableContext.Provider>
  );
}

function Tr({ className, ...others }: Part<'tr'>) {
  const ctx = useContext(TableContext);
  return (
    <Box
      component="tr"
      data-with-row-border={ctx.withRowBorders || undefined}
      data-striped={ctx.striped ? 'odd' : undefined}
      data-hover={ctx.highlightOnHover || undefined}
      className={cx(classes.tr, className)}
      {...others}
    />
  );
}

function Th({ className, ...others }: Part<'th'>) {
  const ctx = useContext(TableContext);
  return (
    <Box
      component="th"
      data-with-column-border={ctx.withColumnBorders || undefined}
      className={cx(classes.th, className)}
      {...others}
    />
  );
}

function Td({ className, ...others }: Part<'td'>) {
  const ctx = useContext(TableContext);
  return (
    <Box
      component="td"
      data-with-column-border={ctx.withColumnBorders || undefined}
      className={cx(classes.td, className)}
      {...others}
    />
  );
}

const Thead = ({ className, ...others }: Part<'thead'>) => (
  <Box component="thead" className={cx(classes.thead, className)} {...others} />
);
const Tbody = ({ className, ...others }: Part<'tbody'>) => (
  <Box component="tbody" className={cx(classes.tbody, className)} {...others} />
);
const Tfoot = (props: Part<'tfoot'>) => <Box component="tfoot" {...props} />;
const Caption = ({ className, ...others }: Part<'caption'>) => (
  <Box component="caption" data-side="bottom" className={cx(classes.caption, className)} {...others} />
);

/** A box that scrolls sideways when the table is wider than the page (at least `minWidth` px wide). */
function ScrollContainer({ minWidth, children, className, style, ...others }: Part<'div'> & { minWidth: number }) {
  return (
    <Box
      className={cx(classes.scrollContainer, className)}
      style={
        { '--table-min-width': rem(minWidth), '--table-overflow': 'auto', ...(style as CSSProperties) } as CSSProperties
      }
      {...others}
    >
      <div className={classes.scrollContainerInner}>{children}</div>
    </Box>
  );
}

export const Table = Object.assign(TableRoot, { Thead, Tbody, Tfoot, Tr, Th, Td, Caption, ScrollContainer });
