package io.roost.core.proto;

/**
 * Multi results that carry no body on the wire. Other results reuse the ordinary response records
 * (see {@link MultiResponse}).
 */
public final class OpResult {

    private OpResult() {
    }

    /** Result of a successful delete inside a multi. */
    public record Delete() implements Record {

        /**
         * Reads the (empty) body.
         *
         * @param in the input; nothing is consumed
         * @return a Delete result
         */
        public static Delete read(JuteInput in) {
            return new Delete();
        }

        /** Writes nothing: the result has no body. */
        @Override
        public void write(JuteOutput out) {
        }
    }

    /** Result of a successful version check inside a multi. */
    public record Check() implements Record {

        /**
         * Reads the (empty) body.
         *
         * @param in the input; nothing is consumed
         * @return a Check result
         */
        public static Check read(JuteInput in) {
            return new Check();
        }

        /** Writes nothing: the result has no body. */
        @Override
        public void write(JuteOutput out) {
        }
    }
}
