package dev.vigil.posture.version;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Maven's {@code ComparableVersion} algorithm (Maven 3.9): a version is a list of items split at {@code .},
 * {@code -} and transitions between digits and letters; a {@code -} or a transition starts a sub-list. Trailing
 * "null" items ({@code 0}, {@code ""}, {@code ga}, {@code final}, {@code release}) are dropped, so {@code 1.0.0},
 * {@code 1} and {@code 1-ga} are equal. Known qualifiers order alpha &lt; beta &lt; milestone &lt; rc = cr &lt;
 * snapshot &lt; release &lt; sp, and unknown ones come after, alphabetically.
 */
final class MavenVersions {
    private static final List<String> QUALIFIERS = List.of("alpha", "beta", "milestone", "rc", "snapshot", "", "sp");
    private static final String RELEASE_INDEX = String.valueOf(QUALIFIERS.indexOf(""));

    private MavenVersions() {}

    private sealed interface Item permits IntItem, StringItem, ListItem {
        boolean isNull();
    }

    private record IntItem(BigInteger value) implements Item {
        @Override
        public boolean isNull() {
            return value.signum() == 0;
        }
    }

    private record StringItem(String value) implements Item {
        static StringItem of(String value, boolean followedByDigit) {
            if (followedByDigit && value.length() == 1) {
                value = switch (value.charAt(0)) {
                    case 'a' -> "alpha";
                    case 'b' -> "beta";
                    case 'm' -> "milestone";
                    default -> value;
                };
            }
            value = switch (value) {
                case "ga", "final", "release" -> "";
                case "cr" -> "rc";
                default -> value;
            };
            return new StringItem(value);
        }

        @Override
        public boolean isNull() {
            return value.isEmpty();
        }

        String comparable() {
            int index = QUALIFIERS.indexOf(value);
            return index >= 0 ? String.valueOf(index) : QUALIFIERS.size() + "-" + value;
        }
    }

    private record ListItem(List<Item> items) implements Item {
        ListItem() {
            this(new ArrayList<>());
        }

        @Override
        public boolean isNull() {
            return items.isEmpty();
        }

        void normalize() {
            for (int i = items.size() - 1; i >= 0; i--) {
                Item last = items.get(i);
                if (last.isNull()) {
                    items.remove(i);
                } else if (!(last instanceof ListItem)) {
                    break;
                }
            }
        }
    }

    static int compare(String left, String right) {
        return compare(parse(left), parse(right));
    }

    private static ListItem parse(String version) {
        String text = version.strip().toLowerCase(Locale.ROOT);
        ListItem main = new ListItem();
        ListItem list = main;
        Deque<ListItem> stack = new ArrayDeque<>();
        stack.push(list);
        boolean digit = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                list.items().add(i == start ? new IntItem(BigInteger.ZERO) : item(digit, text.substring(start, i)));
                start = i + 1;
            } else if (c == '-') {
                list.items().add(i == start ? new IntItem(BigInteger.ZERO) : item(digit, text.substring(start, i)));
                start = i + 1;
                ListItem sub = new ListItem();
                list.items().add(sub);
                list = sub;
                stack.push(list);
            } else if (Character.isDigit(c)) {
                if (!digit && i > start) {
                    // "alpha1": the qualifier, then the number in a sub-list of its own
                    list.items().add(StringItem.of(text.substring(start, i), true));
                    start = i;
                    ListItem sub = new ListItem();
                    list.items().add(sub);
                    list = sub;
                    stack.push(list);
                }
                digit = true;
            } else {
                if (digit && i > start) {
                    list.items().add(item(true, text.substring(start, i)));
                    start = i;
                    ListItem sub = new ListItem();
                    list.items().add(sub);
                    list = sub;
                    stack.push(list);
                }
                digit = false;
            }
        }
        if (text.length() > start) {
            list.items().add(item(digit, text.substring(start)));
        }
        while (!stack.isEmpty()) {
            stack.pop().normalize();
        }
        return main;
    }

    private static Item item(boolean digit, String text) {
        return digit ? new IntItem(new BigInteger(text)) : StringItem.of(text, false);
    }

    /** {@code left} against {@code right}, where a missing item is null. */
    private static int compare(Item left, Item right) {
        return switch (left) {
            case null -> -compare(right, null);
            case IntItem a -> switch (right) {
                case null -> a.value().signum() == 0 ? 0 : 1;
                case IntItem b -> a.value().compareTo(b.value());
                case StringItem b -> 1;
                case ListItem b -> 1;
            };
            case StringItem a -> switch (right) {
                case null -> a.comparable().compareTo(RELEASE_INDEX) < 0 ? -1
                        : a.comparable().equals(RELEASE_INDEX) ? 0 : 1;
                case IntItem b -> -1;
                case StringItem b -> Integer.signum(a.comparable().compareTo(b.comparable()));
                case ListItem b -> -1;
            };
            case ListItem a -> switch (right) {
                case null -> a.items().isEmpty() ? 0 : compare(a.items().get(0), null);
                case IntItem b -> -1;
                case StringItem b -> 1;
                case ListItem b -> {
                    int size = Math.max(a.items().size(), b.items().size());
                    for (int i = 0; i < size; i++) {
                        Item x = i < a.items().size() ? a.items().get(i) : null;
                        Item y = i < b.items().size() ? b.items().get(i) : null;
                        int result = x == null ? (y == null ? 0 : -compare(y, null)) : compare(x, y);
                        if (result != 0) {
                            yield result;
                        }
                    }
                    yield 0;
                }
            };
        };
    }
}
