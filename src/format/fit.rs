//! Fitting a table to the terminal width, as the DuckDB CLI's duckbox does:
//! first narrow the columns wider than `NARROW` (the widest first, so one
//! long text column gives way before short ones do), then, if that is not
//! enough, leave out columns from the middle, shown as one `…` column.
//! Cells are cut to their column's width (with a mark), never wrapped.

/// Columns are narrowed down to this width before any is left out.
pub const NARROW: usize = 20;

/// Characters a column takes besides its content: a space each side and
/// the line on its right (the table's left line is counted once).
const COLUMN_FRAME: usize = 3;

/// One column of the drawn table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Column `index` of the result, `width` characters wide.
    Column { index: usize, width: usize },
    /// The columns left out, drawn as one narrow `…` column.
    Elided,
}

/// The slots of a table whose columns would naturally be `natural` wide,
/// within `max_width` characters (`None`: no limit).
pub fn layout(natural: &[usize], max_width: Option<usize>) -> Vec<Slot> {
    let mut widths: Vec<usize> = natural.iter().map(|&w| w.max(1)).collect();
    let all = |widths: &[usize]| widths.iter().enumerate().map(|(index, &width)| Slot::Column { index, width }).collect();
    let Some(max_width) = max_width else { return all(&widths) };
    let excess = total(&widths).saturating_sub(max_width);
    if excess == 0 {
        return all(&widths);
    }
    if narrow(&mut widths, excess) {
        return all(&widths);
    }
    elide_middle(&widths, max_width)
}

fn total(widths: &[usize]) -> usize {
    1 + widths.iter().map(|w| w + COLUMN_FRAME).sum::<usize>()
}

/// Take `excess` characters from the columns wider than `NARROW`, levelling
/// the widest down first. Returns false (with every such column at
/// `NARROW`) when that is not enough.
fn narrow(widths: &mut [usize], excess: usize) -> bool {
    let spare = |level: usize, widths: &[usize]| widths.iter().map(|&w| w.saturating_sub(level)).sum::<usize>();
    if spare(NARROW, widths) < excess {
        for w in widths.iter_mut() {
            *w = (*w).min(NARROW);
        }
        return false;
    }
    // The highest level whose cut is enough: spare(level) >= excess > spare(level + 1).
    let (mut low, mut high) = (NARROW, widths.iter().copied().max().unwrap_or(NARROW));
    while low < high {
        let mid = (low + high).div_ceil(2);
        if spare(mid, widths) >= excess { low = mid } else { high = mid - 1 }
    }
    let level = low;
    // Cutting every column to `level` takes a little more than needed:
    // give the difference back, a character to each of some cut columns.
    let mut give_back = spare(level, widths) - excess;
    for w in widths.iter_mut() {
        if *w > level {
            *w = level;
            if give_back > 0 {
                *w += 1;
                give_back -= 1;
            }
        }
    }
    true
}

/// Leave out middle columns (the middle one first, then alternately its
/// left and right neighbours) until the rest and a `…` column fit. At least
/// one column stays, narrowed to fit if it must.
fn elide_middle(widths: &[usize], max_width: usize) -> Vec<Slot> {
    let elided_width = 1 + COLUMN_FRAME;
    let count = widths.len();
    let mut kept = vec![true; count];
    // Counting the `…` column from the start: it is drawn as soon as one goes.
    let mut used = total(widths) + elided_width;
    let mut offset: isize = 0;
    while used > max_width && kept.iter().filter(|&&k| k).count() > 1 {
        let index = (count / 2) as isize + offset;
        offset = if offset >= 0 { -offset - 1 } else { -offset };
        let Ok(index) = usize::try_from(index) else { continue };
        if index < count && kept[index] {
            kept[index] = false;
            used -= widths[index] + COLUMN_FRAME;
        }
    }
    let mut slots = Vec::with_capacity(count + 1);
    let mut marked = false;
    for (index, &width) in widths.iter().enumerate() {
        if kept[index] {
            slots.push(Slot::Column { index, width });
        } else if !marked {
            slots.push(Slot::Elided);
            marked = true;
        }
    }
    let drawn = 1 + slots.iter().map(|slot| match slot { Slot::Column { width, .. } => width + COLUMN_FRAME, Slot::Elided => elided_width }).sum::<usize>();
    if drawn > max_width {
        // One column left and still too wide: narrow it to what remains.
        for slot in &mut slots {
            if let Slot::Column { width, .. } = slot {
                *width = width.saturating_sub(drawn - max_width).max(1);
            }
        }
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(slots: &[Slot]) -> Vec<Option<usize>> {
        slots.iter().map(|s| match s { Slot::Column { width, .. } => Some(*width), Slot::Elided => None }).collect()
    }

    #[test]
    fn a_table_that_fits_is_left_alone() {
        assert_eq!(widths(&layout(&[3, 50], None)), [Some(3), Some(50)]);
        assert_eq!(widths(&layout(&[3, 50], Some(60))), [Some(3), Some(50)]);
    }

    #[test]
    fn the_widest_column_gives_way_first() {
        // 1 + (3+3) + (50+3) + (30+3) = 93; 13 to take, all from the widest.
        assert_eq!(widths(&layout(&[3, 50, 30], Some(80))), [Some(3), Some(37), Some(30)]);
        // 38 to take: both long columns levelled down to 21.
        assert_eq!(widths(&layout(&[3, 50, 30], Some(55))), [Some(3), Some(21), Some(21)]);
        // 39: one character more than levelling to 21 gives.
        assert_eq!(widths(&layout(&[3, 50, 30], Some(54))), [Some(3), Some(21), Some(20)]);
    }

    #[test]
    fn middle_columns_are_left_out_when_narrowing_is_not_enough() {
        let slots = layout(&[10; 12], Some(60));
        assert!(slots.contains(&Slot::Elided));
        assert_eq!(slots.first(), Some(&Slot::Column { index: 0, width: 10 }));
        assert_eq!(slots.last(), Some(&Slot::Column { index: 11, width: 10 }));
        let drawn: usize = 1 + slots.iter().map(|s| match s { Slot::Column { width, .. } => width + 3, Slot::Elided => 4 }).sum::<usize>();
        assert!(drawn <= 60, "{slots:?}");
    }

    #[test]
    fn one_very_wide_column_is_narrowed_to_the_width() {
        assert_eq!(widths(&layout(&[500], Some(40))), [Some(36)]);
    }
}
